// Syllabus site behaviour on every page: code blocks and tables that scroll sideways, and the
// flashcard practice page (search is in search.js).
// Plain script, no modules and no fetch(), so it works when opened from file://.
(function () {
  "use strict";

  // A code block or table wider than its box scrolls inside it (style.css draws a shadow at the
  // edge with more content). Such a box takes keyboard focus, so the arrow keys scroll it, and
  // gets a name for screen readers: a code block as a region; a table keeps its table role and
  // is named. A box that fits gets neither, so it adds no stop to the tab order; one that stops
  // overflowing (a wider window) loses both. A box that already has a tab stop, role or name
  // (raw HTML in a note) is left as its author made it.
  function markScrollingBoxes() {
    Array.prototype.forEach.call(document.querySelectorAll("main pre, main table"), function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      var marked = box.hasAttribute("data-scrolls");
      if (scrolls === marked) return;
      if (!marked && ["tabindex", "role", "aria-label", "aria-labelledby"].some(function (name) { return box.hasAttribute(name); })) return;
      if (scrolls) {
        box.setAttribute("data-scrolls", "");
        box.setAttribute("tabindex", "0");
        if (box.tagName === "PRE") box.setAttribute("role", "region");
        box.setAttribute("aria-label", (box.tagName === "PRE" ? "Code" : "Table") + ", scrolls sideways");
      } else {
        ["data-scrolls", "tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }

  function watchScrollingBoxes() {
    var main = document.querySelector("main");
    if (!main) return;
    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; markScrollingBoxes(); });
    }
    markScrollingBoxes();
    window.addEventListener("resize", schedule);
    // The practice page and the exam draw their cards and questions after load; a card's
    // answer and a <details> open later: their boxes only have a width then.
    new MutationObserver(schedule).observe(main, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden", "open"] });
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

  watchScrollingBoxes();
  setUpPractice();
})();
