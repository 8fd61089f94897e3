// Syllabus site behaviour: search over the generated index, and the flashcard practice page.
// Plain script, no modules and no fetch(), so it works when opened from file://.
(function () {
  "use strict";

  function setUpSearch() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var index = window.SYLLABUS_SEARCH || [];
    if (!input || !list) return;
    var root = input.getAttribute("data-root") || "";

    function show(query) {
      list.innerHTML = "";
      var words = query.toLowerCase().split(/\s+/).filter(Boolean);
      if (!words.length) { list.hidden = true; return; }
      var hits = index.map(function (entry) {
        var title = entry.t.toLowerCase(), rest = (entry.h + " " + entry.s).toLowerCase(), score = 0;
        for (var i = 0; i < words.length; i++) {
          if (title.indexOf(words[i]) >= 0) score += 3;
          else if (rest.indexOf(words[i]) >= 0) score += 1;
          else return null;
        }
        return { entry: entry, score: score };
      }).filter(Boolean).sort(function (a, b) { return b.score - a.score; }).slice(0, 12);
      hits.forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + hit.entry.u;
        link.textContent = hit.entry.t;
        var service = document.createElement("span");
        service.textContent = hit.entry.s;
        link.appendChild(service);
        item.appendChild(link);
        list.appendChild(item);
      });
      if (!hits.length) {
        var none = document.createElement("li");
        none.textContent = "No matching notes";
        list.appendChild(none);
      }
      list.hidden = false;
    }

    input.addEventListener("input", function () { show(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; show(""); }
      if (event.key === "Enter") {
        var first = list.querySelector("a");
        if (first) window.location.href = first.href;
      }
    });
  }

  function setUpPractice() {
    var section = document.querySelector("[data-practice]");
    var cards = window.SYLLABUS_CARDS;
    if (!section || !cards) return;
    var question = section.querySelector("[data-question]");
    var answer = section.querySelector("[data-answer]");
    var position = section.querySelector("[data-position]");
    var service = section.querySelector("[data-service]");
    var source = section.querySelector("[data-source]");
    var order = cards.map(function (_, i) { return i; });
    var current = 0;

    function showCard() {
      if (!cards.length) { question.textContent = "This deck has no cards."; return; }
      var card = cards[order[current]];
      question.innerHTML = card.q;
      answer.innerHTML = card.a;
      answer.hidden = true;
      service.textContent = card.service;
      source.href = card.href;
      position.textContent = String(current + 1);
    }
    function reveal() { answer.hidden = !answer.hidden; }
    function move(step) { current = (current + step + cards.length) % cards.length; showCard(); }
    function shuffle() {
      for (var i = order.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = order[i]; order[i] = order[j]; order[j] = t;
      }
      current = 0;
      showCard();
    }
    var actions = { reveal: reveal, next: function () { move(1); }, prev: function () { move(-1); }, shuffle: shuffle };
    section.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (action && actions[action]) actions[action]();
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target || {};
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable) return;
      // Browser shortcuts (Ctrl+S, Cmd+P, Alt+Left) are not ours.
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var key = event.key && event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (key === " " || key === "Enter") {
        // A focused link or button handles its own Enter and Space.
        if (/^(A|BUTTON|SUMMARY)$/.test(target.tagName)) return;
        event.preventDefault();
        reveal();
      }
      else if (key === "ArrowRight" || key === "n") move(1);
      else if (key === "ArrowLeft" || key === "p") move(-1);
      else if (key === "s") shuffle();
    });
    showCard();
  }

  setUpSearch();
  setUpPractice();
})();
