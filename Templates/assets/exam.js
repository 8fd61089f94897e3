/* The practice exam: draws questions by domain weight, times the exam, scores it and keeps the
   attempts in this browser (localStorage), all from file://. The page carries the exam and the
   question bank in window.SYLLABUS_EXAM (see ExamPage.swift). */
(function () {
  "use strict";
  var root = document.querySelector("[data-exam]");
  var data = window.SYLLABUS_EXAM;
  if (!root || !data) return;

  var ATTEMPTS_KEY = "syllabus-exam-attempts";
  var CURRENT_KEY = "syllabus-exam-current";
  var EXPORT_FORMAT = "syllabus-exam-attempts";
  var LETTERS = "ABCDEFGHIJ";
  var bank = data.bank;
  var byID = {};
  bank.forEach(function (q) { byID[q.id] = q; });
  var domainNames = {};
  data.domains.forEach(function (d) { domainNames[d.id] = d.name; });
  var params = new URLSearchParams(location.search);

  function $(selector, within) { return (within || root).querySelector(selector); }
  function view(name) {
    ["start", "run", "report"].forEach(function (v) { $('[data-view="' + v + '"]').hidden = v !== name; });
  }
  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Storage. A browser that refuses localStorage (some file:// settings) still runs exams.
  function load(key, fallback) {
    try { var text = localStorage.getItem(key); return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try {
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* not kept: the exam goes on */ }
  }
  function attempts() { var list = load(ATTEMPTS_KEY, []); return Array.isArray(list) ? list : []; }

  // A small seeded generator (mulberry32), so ?seed=N draws the same exam every time.
  function generator(seed) {
    var state = seed >>> 0;
    return function () {
      state = (state + 0x6D2B79F5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffle(list, random) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = list[i]; list[i] = list[j]; list[j] = swap;
    }
    return list;
  }

  // How many questions each domain gets: its weight's share of the exam, largest remainders
  // first; a domain with too few questions hands its shortfall to the others.
  function quotas(total, available) {
    var weights = data.domains.map(function (d) { return d.weight; });
    var weightSum = weights.reduce(function (a, b) { return a + b; }, 0) || 1;
    var exact = weights.map(function (w) { return total * w / weightSum; });
    var counts = exact.map(Math.floor);
    var left = total - counts.reduce(function (a, b) { return a + b; }, 0);
    exact.map(function (x, i) { return { i: i, rest: x - counts[i] }; })
      .sort(function (a, b) { return b.rest - a.rest || a.i - b.i; })
      .slice(0, left).forEach(function (r) { counts[r.i] += 1; });
    var shortfall = 0;
    counts = counts.map(function (c, i) {
      var have = available[data.domains[i].id] || 0;
      if (c > have) { shortfall += c - have; return have; }
      return c;
    });
    while (shortfall > 0) {
      var given = false;
      for (var i = 0; i < counts.length && shortfall > 0; i++) {
        if (counts[i] < (available[data.domains[i].id] || 0)) { counts[i] += 1; shortfall -= 1; given = true; }
      }
      if (!given) break;
    }
    var result = {};
    data.domains.forEach(function (d, i) { result[d.id] = counts[i]; });
    return result;
  }

  // The questions of a new exam. Without a seed, questions not seen in recent attempts come
  // first (then those seen longest ago), so attempts do not repeat while the bank allows; with
  // ?seed=N the draw depends on the seed and the bank only.
  function draw(seed, useHistory) {
    var random = generator(seed);
    var lastSeen = {};
    if (useHistory) {
      attempts().forEach(function (attempt, index) {
        (attempt.questions || []).forEach(function (q) { lastSeen[q.id] = index + 1; });
      });
    }
    var pools = {};
    data.domains.forEach(function (d) { pools[d.id] = []; });
    bank.forEach(function (q) { if (pools[q.domain]) pools[q.domain].push(q); });
    var available = {};
    Object.keys(pools).forEach(function (id) { available[id] = pools[id].length; });
    var counts = quotas(Math.min(data.questions, bank.length), available);
    var chosen = [];
    data.domains.forEach(function (d) {
      var pool = shuffle(pools[d.id].slice(), random);
      pool.sort(function (a, b) { return (lastSeen[a.id] || 0) - (lastSeen[b.id] || 0); });
      chosen = chosen.concat(pool.slice(0, counts[d.id]));
    });
    return shuffle(chosen, random).map(function (q) { return { id: q.id, order: optionOrder(q, random) }; });
  }

  // Options shuffled, except pinned ones ("None of the above", `<!-- pin -->`), which keep
  // their written place.
  function optionOrder(q, random) {
    var movable = shuffle(q.options.map(function (o, i) { return i; }).filter(function (i) { return !q.options[i].pinned; }), random);
    return q.options.map(function (o, i) { return o.pinned ? i : movable.shift(); });
  }

  function correctSet(q) {
    return q.options.map(function (o, i) { return o.correct ? i : -1; }).filter(function (i) { return i >= 0; });
  }
  function isRight(q, chosen) {
    var right = correctSet(q);
    return !!chosen && chosen.length === right.length && right.every(function (i) { return chosen.indexOf(i) >= 0; });
  }
  function countWord(n) { return ["zero", "one", "two", "three", "four", "five"][n] || String(n); }
  function clock(ms) {
    var seconds = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  // ---- Running an exam or a practice session ----

  var run = null;
  var timer = null;

  function begin(state) {
    run = state;
    view("run");
    $('[data-action="submit"]').textContent = run.mode === "exam" ? "Submit" : "Finish";
    $('[data-timer]').hidden = run.mode !== "exam";
    show(run.current || 0);
    if (run.mode === "exam") {
      timer = setInterval(tick, 1000);
      tick();
    }
  }

  function startExam() {
    var seed = params.has("seed") ? Number(params.get("seed")) >>> 0 : Math.floor(Math.random() * 4294967296);
    var now = Date.now();
    var items = draw(seed, !params.has("seed"));
    // The real exam's time, scaled when the bank is smaller (`drawnMinutes`, from the build).
    var minutes = data.drawnMinutes;
    begin({ mode: "exam", seed: seed, startedAt: now, deadline: now + minutes * 60000, minutes: minutes,
            items: items, answers: {}, flagged: {}, current: 0 });
    persist();
  }

  function startPractice() {
    var filter = $("[data-practice-filter]").value.split(":");
    var random = generator(params.has("seed") ? Number(params.get("seed")) >>> 0 : Math.floor(Math.random() * 4294967296));
    var questions = bank.filter(function (q) { return filter[0] === "domain" ? q.domain === filter[1] : q.service === filter[1]; });
    var label = filter[0] === "domain" ? domainNames[filter[1]] : (data.services.filter(function (s) { return s.id === filter[1]; })[0] || {}).name;
    begin({ mode: "practice", label: label, items: shuffle(questions, random).map(function (q) { return { id: q.id, order: optionOrder(q, random) }; }),
            answers: {}, flagged: {}, revealed: {}, current: 0 });
  }

  // An exam in progress survives a reload or a click on a link.
  function persist() { if (run && run.mode === "exam") save(CURRENT_KEY, run); }

  function tick() {
    var left = run.deadline - Date.now();
    var display = $("[data-timer]");
    display.textContent = clock(left) + " left";
    display.classList.toggle("low", left < 5 * 60000);
    if (left <= 0) finish(true);
  }

  function show(index) {
    run.current = index;
    var item = run.items[index];
    var q = byID[item.id];
    var chosen = run.answers[index] || [];
    var need = correctSet(q).length;
    $("[data-progress]").textContent = (run.mode === "exam" ? "Question " : run.label + ": question ") + (index + 1) + " of " + run.items.length;
    $("[data-question-meta]").textContent = (run.mode === "practice" ? domainNames[q.domain] + " · " : "") +
      (need > 1 ? "Choose " + countWord(need) + "." : "Choose one.");
    $("[data-stem]").innerHTML = q.stem;
    var revealed = run.mode === "practice" && run.revealed[index];
    var list = $("[data-options]");
    list.innerHTML = "";
    item.order.forEach(function (optionIndex, position) {
      var option = q.options[optionIndex];
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("aria-pressed", chosen.indexOf(optionIndex) >= 0 ? "true" : "false");
      button.dataset.option = String(position);
      button.innerHTML = '<span class="letter">' + LETTERS[position] + '.</span><span class="text">' + option.html + "</span>";
      if (revealed) {
        if (option.correct) button.classList.add("right");
        else if (chosen.indexOf(optionIndex) >= 0) button.classList.add("wrong");
      }
      button.addEventListener("click", function () { choose(position); });
      li.appendChild(button);
      list.appendChild(li);
    });
    var feedback = $("[data-feedback]");
    feedback.hidden = !revealed;
    feedback.innerHTML = revealed ? explanationHTML(q, chosen) : "";
    var flag = $('[data-action="flag"]');
    flag.setAttribute("aria-pressed", run.flagged[index] ? "true" : "false");
    flag.hidden = run.mode !== "exam";
    drawGrid();
  }

  function explanationHTML(q, chosen) {
    var verdict = isRight(q, chosen) ? "<strong>Correct.</strong>" : "<strong>Not quite.</strong> The answer is " +
      correctSet(q).map(function (i) { return escapeHTML(stripTags(q.options[i].html)); }).join("; ") + ".";
    return "<p>" + verdict + "</p>" + q.explanation + notesHTML(q);
  }
  function stripTags(html) {
    var div = document.createElement("div");
    div.innerHTML = html;
    return div.textContent;
  }
  function notesHTML(q) {
    if (!q.notes.length) return "";
    return '<p class="exam-notes">In the notes: ' + q.notes.map(function (n) {
      return '<a href="' + escapeHTML(n.href) + '">' + escapeHTML(n.title) + "</a>";
    }).join(", ") + "</p>";
  }

  function drawGrid() {
    var grid = $("[data-grid]");
    grid.innerHTML = "";
    run.items.forEach(function (item, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = String(index + 1);
      var answered = (run.answers[index] || []).length > 0;
      if (answered) button.classList.add("answered");
      if (run.flagged[index]) button.classList.add("flagged");
      if (index === run.current) button.setAttribute("aria-current", "true");
      button.setAttribute("aria-label", "Question " + (index + 1) + (answered ? ", answered" : ", not answered") +
        (run.flagged[index] ? ", flagged" : ""));
      button.addEventListener("click", function () { show(index); });
      grid.appendChild(button);
    });
  }

  function choose(position) {
    var item = run.items[run.current];
    var q = byID[item.id];
    if (position >= item.order.length) return;
    if (run.mode === "practice" && run.revealed[run.current]) return;
    var optionIndex = item.order[position];
    var chosen = (run.answers[run.current] || []).slice();
    var need = correctSet(q).length;
    var at = chosen.indexOf(optionIndex);
    if (at >= 0) chosen.splice(at, 1);
    else if (need === 1) chosen = [optionIndex];
    else chosen.push(optionIndex);
    run.answers[run.current] = chosen;
    // Practice explains as soon as the answer is complete: one option, or as many as it asks for.
    if (run.mode === "practice" && chosen.length >= need) run.revealed[run.current] = true;
    persist();
    show(run.current);
  }

  function move(step) {
    var next = run.current + step;
    if (next >= 0 && next < run.items.length) show(next);
  }

  function toggleFlag() {
    if (run.mode !== "exam") return;
    run.flagged[run.current] = !run.flagged[run.current];
    persist();
    show(run.current);
  }

  function askSubmit() {
    if (run.mode === "practice") { finishPractice(); return; }
    var unanswered = run.items.filter(function (_, i) { return !(run.answers[i] || []).length; }).length;
    var flagged = Object.keys(run.flagged).filter(function (k) { return run.flagged[k]; }).length;
    $("[data-confirm-text]").textContent = "Submit the exam? " +
      (unanswered ? unanswered + " of " + run.items.length + " questions are not answered" : "Every question is answered") +
      (flagged ? " and " + flagged + " are flagged for review." : ".");
    $("[data-confirm]").hidden = false;
    $('[data-action="confirm-submit"]').focus();
  }
  function cancelSubmit() { $("[data-confirm]").hidden = true; }

  function finishPractice() {
    var answered = Object.keys(run.revealed).length;
    var right = Object.keys(run.revealed).filter(function (i) { return isRight(byID[run.items[i].id], run.answers[i]); }).length;
    run = null;
    view("report");
    $('[data-view="report"]').innerHTML = "<h2>Practice finished</h2><p>" + right + " of " + answered + " answered questions correct.</p>" +
      '<p><button type="button" data-action="home">Back</button></p>';
  }

  // ---- Scoring and the report ----

  // AWS does not publish how it turns a raw score into the scaled one; this page maps the share
  // of correct answers linearly onto the score range (see the README).
  function scaled(share) { return Math.round(data.scoreMin + (data.scoreMax - data.scoreMin) * share); }

  function finish(timeUp) {
    if (!run) return;
    clearInterval(timer);
    var ended = Math.min(Date.now(), run.deadline);
    var questions = run.items.map(function (item, i) {
      var q = byID[item.id];
      var chosen = run.answers[i] || [];
      return { id: item.id, domain: q.domain, order: item.order, chosen: chosen, right: isRight(q, chosen), flagged: !!run.flagged[i] };
    });
    // An exam begun before the time was scaled has no `minutes` of its own.
    var attempt = { date: new Date(run.startedAt).toISOString(), seed: run.seed, minutes: run.minutes || data.minutes,
                    usedMs: ended - run.startedAt, timeUp: !!timeUp, questions: questions };
    score(attempt);
    var list = attempts();
    list.push(attempt);
    save(ATTEMPTS_KEY, list);
    save(CURRENT_KEY, null);
    run = null;
    cancelSubmit();
    report(attempt);
  }

  function score(attempt) {
    var domains = {};
    data.domains.forEach(function (d) { domains[d.id] = { right: 0, total: 0 }; });
    var right = 0;
    attempt.questions.forEach(function (q) {
      if (q.right) right += 1;
      if (!domains[q.domain]) domains[q.domain] = { right: 0, total: 0 };
      domains[q.domain].total += 1;
      if (q.right) domains[q.domain].right += 1;
    });
    attempt.right = right;
    attempt.total = attempt.questions.length;
    attempt.score = scaled(attempt.total ? right / attempt.total : 0);
    attempt.passed = attempt.score >= data.passing;
    attempt.domains = domains;
  }

  function percent(part, whole) { return Math.round(100 * part / whole); }

  function report(attempt) {
    view("report");
    var passShare = (data.passing - data.scoreMin) / (data.scoreMax - data.scoreMin);
    var needed = Math.ceil(passShare * attempt.total - 1e-9);
    var html = '<h2>Your result</h2><p class="exam-result" data-score>Score <strong>' + attempt.score + "</strong> of " + data.scoreMax +
      ': <span class="' + (attempt.passed ? "pass" : "fail") + '" data-verdict>' + (attempt.passed ? "Pass" : "Fail") + "</span>" +
      " (pass mark " + data.passing + ")</p>" +
      "<p>" + attempt.right + " of " + attempt.total + " correct. Time used: <span data-time-used>" + clock(attempt.usedMs) + "</span> of " +
      clock(attempt.minutes * 60000) + (attempt.minutes !== data.minutes ? " (" + data.minutes + " minutes for " + data.questions +
      " questions, scaled to the " + attempt.total + " drawn)" : "") +
      (attempt.timeUp ? " (time ran out; the exam was submitted)" : "") + ".</p>" +
      '<p class="meta">AWS keeps the mapping from raw to scaled scores secret. This page maps the share of correct answers ' +
      "linearly onto " + data.scoreMin + "–" + data.scoreMax + ", so the pass mark of " + data.passing + " means " +
      (100 * passShare).toFixed(1) + " % correct (" + needed + " of " + attempt.total + "). The real exam scores " + data.scored +
      " of its " + data.questions + " questions; this one scores them all.</p>" +
      '<p class="meta">This exam was drawn with seed ' + attempt.seed + ': <a href="index.html?seed=' + attempt.seed +
      '">index.html?seed=' + attempt.seed + "</a> draws it again.</p>";
    html += '<h3>By domain</h3><table class="exam-domains" data-domains><thead><tr><th>Domain</th><th>Weight</th><th>Correct</th><th>Score</th></tr></thead><tbody>';
    data.domains.forEach(function (d) {
      // A domain no question was drawn from has no score, as in the trend table.
      var r = attempt.domains[d.id] || { right: 0, total: 0 };
      html += '<tr data-domain="' + escapeHTML(d.id) + '"><td>' + escapeHTML(d.name) + '</td><td class="number">' + d.weight +
        ' %</td><td class="number">' + (r.total ? r.right + " / " + r.total : "–") + '</td><td class="number">' +
        (r.total ? percent(r.right, r.total) + " %" : "–") + "</td></tr>";
    });
    html += "</tbody></table>";
    html += trendHTML();
    html += '<p><button type="button" class="primary" data-action="home">Back to the start</button></p>';
    html += '<h3>Every question</h3><ol class="exam-review" data-review>';
    attempt.questions.forEach(function (entry) {
      var q = byID[entry.id];
      if (!q) { html += "<li>This question is no longer in the bank.</li>"; return; }
      html += '<li data-result="' + (entry.right ? "right" : "wrong") + '"><p class="meta">' + escapeHTML(domainNames[q.domain] || q.domain) +
        " · " + (entry.right ? "correct" : entry.chosen.length ? "wrong" : "not answered") + (entry.flagged ? " · flagged" : "") + "</p>" +
        q.stem + "<ol type=\"A\">";
      (entry.order || q.options.map(function (_, i) { return i; })).forEach(function (i) {
        var option = q.options[i];
        var chosen = entry.chosen.indexOf(i) >= 0;
        var cls = option.correct ? "correct" : chosen ? "chosen-wrong" : "";
        html += '<li><span class="choice ' + cls + '">' + option.html + "</span>" +
          (chosen ? '<span class="tag">your answer</span>' : "") + (option.correct ? '<span class="tag">correct</span>' : "") + "</li>";
      });
      html += '</ol><div class="exam-explanation">' + q.explanation + notesHTML(q) + "</div></li>";
    });
    html += "</ol>";
    $('[data-view="report"]').innerHTML = html;
    window.scrollTo(0, 0);
  }

  // Each domain's score across the exams taken in this browser, oldest first.
  function trendHTML() {
    var list = attempts();
    if (!list.length) return "<p>No attempts yet.</p>";
    var html = '<h3>Trend</h3><table class="exam-trend" data-trend><thead><tr><th>Domain</th>';
    list.forEach(function (a, i) { html += '<th title="' + escapeHTML(a.date) + '">#' + (i + 1) + "</th>"; });
    html += "</tr></thead><tbody><tr><th>Score</th>";
    list.forEach(function (a) { html += '<td class="number">' + a.score + (a.passed ? " ✓" : "") + "</td>"; });
    html += "</tr>";
    data.domains.forEach(function (d) {
      html += "<tr><th>" + escapeHTML(d.name) + "</th>";
      list.forEach(function (a) {
        var r = (a.domains || {})[d.id];
        html += '<td class="number">' + (r && r.total ? percent(r.right, r.total) + " %" : "–") + "</td>";
      });
      html += "</tr>";
    });
    return html + "</tbody></table>";
  }

  // ---- Start page: history, export and import ----

  function home() {
    view("start");
    var select = $("[data-practice-filter]");
    if (!select.options.length) {
      var groups = [["Domain", data.domains.map(function (d) { return ["domain:" + d.id, d.name]; })],
                    ["Service", data.services.map(function (s) { return ["service:" + s.id, s.name]; })]];
      groups.forEach(function (group) {
        var optgroup = document.createElement("optgroup");
        optgroup.label = group[0];
        group[1].forEach(function (entry) {
          var option = document.createElement("option");
          option.value = entry[0];
          option.textContent = entry[1];
          optgroup.appendChild(option);
        });
        select.appendChild(optgroup);
      });
    }
    var list = attempts();
    $("[data-history]").innerHTML = list.length ? "<ol>" + list.slice().reverse().map(function (a) {
      return "<li>" + escapeHTML(new Date(a.date).toLocaleString()) + ": " + a.score + " (" + (a.passed ? "pass" : "fail") + "), " +
        a.right + " of " + a.total + " correct</li>";
    }).join("") + "</ol>" + trendHTML() : "<p>No attempts yet.</p>";
  }

  function exportAttempts() {
    var blob = new Blob([JSON.stringify({ format: EXPORT_FORMAT, version: 1, attempts: attempts() }, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "exam-attempts.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // Merges attempts from an exported file; an attempt already here (same start and seed) is kept once.
  function importAttempts(text) {
    var message = $("[data-store-message]");
    try {
      var parsed = JSON.parse(text);
      if (!parsed || parsed.format !== EXPORT_FORMAT || !Array.isArray(parsed.attempts)) throw new Error("not an export of exam attempts");
      var list = attempts();
      var known = {};
      list.forEach(function (a) { known[a.date + "|" + a.seed] = true; });
      var added = 0;
      parsed.attempts.forEach(function (a) {
        if (!a || typeof a.date !== "string" || !Array.isArray(a.questions) || known[a.date + "|" + a.seed]) return;
        a.questions = a.questions.filter(function (q) { return q && typeof q.id === "string" && Array.isArray(q.chosen); });
        score(a);
        known[a.date + "|" + a.seed] = true;
        list.push(a);
        added += 1;
      });
      list.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
      save(ATTEMPTS_KEY, list);
      message.textContent = "Imported " + added + " attempt" + (added === 1 ? "" : "s") + ".";
      home();
    } catch (error) {
      message.textContent = "Could not import: " + error.message;
    }
  }

  // ---- Wiring ----

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button || !root.contains(button)) return;
    switch (button.dataset.action) {
      case "start-exam": startExam(); break;
      case "start-practice": startPractice(); break;
      case "prev": move(-1); break;
      case "next": move(1); break;
      case "flag": toggleFlag(); break;
      case "submit": askSubmit(); break;
      case "confirm-submit": finish(false); break;
      case "cancel-submit": cancelSubmit(); break;
      case "export": exportAttempts(); break;
      case "home": home(); break;
    }
  });

  $("[data-import]").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { importAttempts(String(reader.result)); };
    reader.readAsText(file);
    event.target.value = "";
  });

  document.addEventListener("keydown", function (event) {
    if (!run || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key;
    if (!$("[data-confirm]").hidden) {
      if (key === "Escape") { cancelSubmit(); event.preventDefault(); }
      return;
    }
    var lower = key.length === 1 ? key.toLowerCase() : key;
    var letter = LETTERS.toLowerCase().indexOf(lower);
    if (key.length === 1 && letter >= 0 && letter < 5) choose(letter);
    else if (lower === "n" || key === "ArrowRight") move(1);
    else if (lower === "p" || key === "ArrowLeft") move(-1);
    else if (lower === "f") toggleFlag();
    else return;
    event.preventDefault();
  });

  // Touch: a horizontal swipe on the question moves to the next or previous one.
  var touchStart = null;
  $(".exam-question").addEventListener("touchstart", function (event) {
    touchStart = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });
  $(".exam-question").addEventListener("touchend", function (event) {
    if (!touchStart || !run) return;
    var dx = event.changedTouches[0].clientX - touchStart.x, dy = event.changedTouches[0].clientY - touchStart.y;
    touchStart = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) move(dx < 0 ? 1 : -1);
  });

  // An exam left running (reload, a followed link) goes on where it was, or is scored if its
  // time ran out meanwhile; one whose questions left the bank is dropped.
  var current = load(CURRENT_KEY, null);
  if (current && current.items && current.items.every(function (item) { return byID[item.id]; })) {
    home();
    begin(current);
  } else {
    save(CURRENT_KEY, null);
    home();
  }
})();
