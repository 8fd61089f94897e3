// Syllabus spaced repetition: the FSRS-6 scheduler, the learner's progress in localStorage, the
// practice page (every deck on one page, chosen by the URL hash) and the due/learning/learned counts on
// the home and service pages. Plain script, no modules and no fetch(), so it works from file://.
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------
  // FSRS-6, the Free Spaced Repetition Scheduler, as published by Open Spaced Repetition:
  // the algorithm description at https://github.com/open-spaced-repetition/fsrs4anki/wiki/
  // The-Algorithm (section "FSRS-6") and its reference implementation, the `fsrs` package on
  // PyPI (https://github.com/open-spaced-repetition/py-fsrs, version 6.x), whose scheduler
  // this one follows step for step: same states, learning steps, rounding and clamps, so that
  // the same reviews give the same stability, difficulty and due time (a test checks this).
  // ---------------------------------------------------------------------------------------
  var FSRS = (function () {
    /** FSRS-6's published default parameters w0…w20 (w20 is the forgetting curve's decay). */
    var DEFAULT_PARAMETERS = [
      0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
      1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542
    ];
    var MINUTE = 60 * 1000, DAY = 24 * 60 * MINUTE;
    var STABILITY_MIN = 0.001;
    var State = { Learning: 1, Review: 2, Relearning: 3 };
    var Rating = { Again: 1, Hard: 2, Good: 3, Easy: 4 };

    /**
     * A scheduler. `options`: parameters (21 numbers), desiredRetention (0–1), learningSteps
     * and relearningSteps (milliseconds), maximumInterval (days), fuzz (spread review
     * intervals of 3 days and more by a few days, as Anki does, so cards learned together
     * spread out; off for the reference test).
     */
    function Scheduler(options) {
      options = options || {};
      this.w = (options.parameters || DEFAULT_PARAMETERS).slice();
      this.retention = options.desiredRetention || 0.9;
      this.learningSteps = options.learningSteps || [1 * MINUTE, 10 * MINUTE];
      this.relearningSteps = options.relearningSteps || [10 * MINUTE];
      this.maximumInterval = options.maximumInterval || 36500;
      this.fuzz = options.fuzz !== false;
      this.decay = -this.w[20];
      // Chosen so that retrievability is 0.9 when the elapsed time equals the stability.
      this.factor = Math.pow(0.9, 1 / this.decay) - 1;
    }

    function clamp(value, low, high) { return Math.min(Math.max(value, low), high); }

    Scheduler.prototype.retrievability = function (card, now) {
      if (!card || card.last == null || card.s == null) return 0;
      // Whole days, as the reference counts them: a review 36 hours on is 1 day later.
      var days = Math.max(0, Math.floor((now - card.last) / DAY));
      return Math.pow(1 + this.factor * days / card.s, this.decay);
    };
    Scheduler.prototype.initialStability = function (rating) { return Math.max(this.w[rating - 1], STABILITY_MIN); };
    Scheduler.prototype.initialDifficulty = function (rating, clamped) {
      var d = this.w[4] - Math.exp(this.w[5] * (rating - 1)) + 1;
      return clamped ? clamp(d, 1, 10) : d;
    };
    Scheduler.prototype.nextDifficulty = function (d, rating) {
      var delta = -this.w[6] * (rating - 3);
      var damped = d + (10 - d) * delta / 9; // linear damping: changes shrink near 10
      // Mean reversion towards the initial difficulty of an Easy first answer.
      var reverted = this.w[7] * this.initialDifficulty(Rating.Easy, false) + (1 - this.w[7]) * damped;
      return clamp(reverted, 1, 10);
    };
    Scheduler.prototype.shortTermStability = function (s, rating) {
      var w = this.w;
      var increase = Math.exp(w[17] * (rating - 3 + w[18])) * Math.pow(s, -w[19]);
      if (rating >= Rating.Hard) increase = Math.max(increase, 1);
      return Math.max(s * increase, STABILITY_MIN);
    };
    Scheduler.prototype.nextStability = function (d, s, r, rating) {
      var w = this.w, next;
      if (rating === Rating.Again) {
        var longTerm = w[11] * Math.pow(d, -w[12]) * (Math.pow(s + 1, w[13]) - 1) * Math.exp((1 - r) * w[14]);
        next = Math.min(longTerm, s / Math.exp(w[17] * w[18]));
      } else {
        var hard = rating === Rating.Hard ? w[15] : 1, easy = rating === Rating.Easy ? w[16] : 1;
        next = s * (1 + Math.exp(w[8]) * (11 - d) * Math.pow(s, -w[9]) * (Math.exp((1 - r) * w[10]) - 1) * hard * easy);
      }
      return Math.max(next, STABILITY_MIN);
    };
    /** Days until retrievability falls to the desired retention: at least 1, whole days. */
    Scheduler.prototype.nextInterval = function (s) {
      var days = s / this.factor * (Math.pow(this.retention, 1 / this.decay) - 1);
      return clamp(roundHalfEven(days), 1, this.maximumInterval);
    };
    /** `days` spread by up to a few days, by `chance` in [0, 1). */
    Scheduler.prototype.fuzzed = function (days, chance) {
      if (days < 2.5) return days;
      // Anki's fuzz ranges: ±15 % of the part between 2.5 and 7 days, 10 % up to 20, 5 % beyond.
      var delta = 1 + 0.15 * Math.max(Math.min(days, 7) - 2.5, 0) + 0.1 * Math.max(Math.min(days, 20) - 7, 0)
        + 0.05 * Math.max(days - 20, 0);
      var high = Math.min(roundHalfEven(days + delta), this.maximumInterval);
      var low = Math.min(Math.max(2, roundHalfEven(days - delta)), high);
      return Math.min(roundHalfEven(chance * (high - low + 1) + low), this.maximumInterval);
    };

    /**
     * The card after one review. `card` is null for a new card, else an object with state
     * (1 learning, 2 review, 3 relearning), step (index into the learning or relearning steps,
     * null in review), s (stability, days), d (difficulty, 1–10), due and last (milliseconds
     * since 1970), reps and lapses (counts). `rating` is 1–4 (Again, Hard, Good, Easy), `now`
     * milliseconds since 1970. `seed` (a string, e.g. the card's id) picks the fuzz: the same
     * card, review count and seed give the same interval, so the wait a button shows is the
     * one it gives (Anki seeds its fuzz the same way). Returns a new object of the same shape,
     * also with rating.
     */
    Scheduler.prototype.review = function (card, rating, now, seed) {
      var c = card ? copy(card) : { state: State.Learning, step: 0, s: null, d: null, due: now, last: null, reps: 0, lapses: 0 };
      var sameDay = c.last != null && Math.floor((now - c.last) / DAY) < 1;
      var wasReview = c.state === State.Review;
      if (c.s == null || c.d == null) {
        c.s = this.initialStability(rating);
        c.d = this.initialDifficulty(rating, true);
      } else {
        c.s = sameDay ? this.shortTermStability(c.s, rating) : this.nextStability(c.d, c.s, this.retrievability(c, now), rating);
        c.d = this.nextDifficulty(c.d, rating);
      }
      var wait; // milliseconds
      if (wasReview) {
        if (rating === Rating.Again && this.relearningSteps.length) {
          c.state = State.Relearning; c.step = 0; c.lapses += 1;
          wait = this.relearningSteps[0];
        } else {
          if (rating === Rating.Again) c.lapses += 1;
          wait = this.nextInterval(c.s) * DAY;
        }
      } else {
        var steps = c.state === State.Learning ? this.learningSteps : this.relearningSteps;
        var graduate = !steps.length || (c.step >= steps.length && rating !== Rating.Again)
          || rating === Rating.Easy || (rating === Rating.Good && c.step + 1 === steps.length);
        if (graduate) {
          c.state = State.Review; c.step = null;
          wait = this.nextInterval(c.s) * DAY;
        } else if (rating === Rating.Again) {
          c.step = 0; wait = steps[0];
        } else if (rating === Rating.Hard) {
          // Hard repeats the step; on the first step, halfway to the next one.
          wait = c.step === 0 ? (steps.length === 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2) : steps[c.step];
        } else {
          c.step += 1; wait = steps[c.step];
        }
      }
      if (this.fuzz && c.state === State.Review) wait = this.fuzzed(Math.round(wait / DAY), chance(String(seed) + ":" + c.reps)) * DAY;
      c.due = now + wait;
      c.last = now;
      c.reps += 1;
      c.rating = rating;
      return c;
    };

    // Python's round(), which the reference uses: halves go to the even neighbour.
    function roundHalfEven(x) {
      var r = Math.round(x);
      return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
    // FNV-1a over the text's UTF-16 units, as a number in [0, 1).
    function chance(text) {
      var hash = 0x811c9dc5;
      for (var i = 0; i < text.length; i++) { hash ^= text.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }
      return hash / 4294967296;
    }
    function copy(o) { var c = {}; for (var k in o) c[k] = o[k]; return c; }

    return { Scheduler: Scheduler, DEFAULT_PARAMETERS: DEFAULT_PARAMETERS, State: State, Rating: Rating, DAY: DAY, MINUTE: MINUTE };
  })();

  // ---------------------------------------------------------------------------------------
  // Progress: one record per card, keyed by the card's Anki GUID, in localStorage.
  // ---------------------------------------------------------------------------------------
  var FORMAT = "syllabus-progress";

  /** The progress of the study set named `name`, as stored in this browser. */
  function Progress(name) {
    this.key = "syllabus-progress:" + name;
    this.name = name;
    this.data = this.read();
  }
  Progress.prototype.empty = function () { return { format: FORMAT, version: 1, set: this.name, cards: {}, newCards: {} }; };
  Progress.prototype.read = function () {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(this.key) || "null");
      if (parsed && parsed.format === FORMAT && parsed.cards) { parsed.newCards = parsed.newCards || {}; return parsed; }
    } catch (e) { /* unreadable or blocked storage: start afresh */ }
    return this.empty();
  };
  Progress.prototype.save = function () {
    try { window.localStorage.setItem(this.key, JSON.stringify(this.data)); return true; } catch (e) { return false; }
  };
  Progress.prototype.card = function (guid) { return this.data.cards[guid] || null; };
  /** New cards first seen on `day` (a local date, YYYY-MM-DD). */
  Progress.prototype.newOn = function (day) { return this.data.newCards[day] || 0; };
  Progress.prototype.record = function (guid, card, day, wasNew) {
    this.data.cards[guid] = card;
    if (wasNew) {
      // Only today's count matters: older days are dropped.
      var count = this.newOn(day) + 1;
      this.data.newCards = {};
      this.data.newCards[day] = count;
    }
    this.save();
  };
  Progress.prototype.exportJSON = function () { return JSON.stringify(this.data, null, 1); };
  /**
   * Merges a file made by exportJSON: for each card the record with the later review wins, so
   * importing twice, or importing an older file, loses nothing. Returns the number of cards
   * taken from the file; throws an Error with a reason when the text is not such a file.
   */
  Progress.prototype.importJSON = function (text) {
    var other;
    try { other = JSON.parse(text); } catch (e) { throw new Error("the file is not JSON"); }
    if (!other || other.format !== FORMAT || typeof other.cards !== "object") throw new Error("the file is not Syllabus progress");
    var taken = 0;
    for (var guid in other.cards) {
      var theirs = other.cards[guid], ours = this.data.cards[guid];
      if (!theirs || typeof theirs.last !== "number" || typeof theirs.due !== "number") continue;
      if (!ours || ours.last < theirs.last) { this.data.cards[guid] = theirs; taken += 1; }
    }
    for (var day in other.newCards || {}) {
      if (day === today()) this.data.newCards[day] = Math.max(this.newOn(day), other.newCards[day]);
    }
    this.save();
    return taken;
  };

  /**
   * Counts over the cards `guids`: due now (in any state), new (never reviewed), learning (in
   * their learning or relearning steps) and learned (past them, in review); new, learning and
   * learned add up to the cards.
   */
  Progress.prototype.counts = function (guids, now) {
    var due = 0, learning = 0, learned = 0, fresh = 0;
    for (var i = 0; i < guids.length; i++) {
      var card = this.data.cards[guids[i]];
      if (!card) { fresh += 1; continue; }
      if (card.due <= now) due += 1;
      if (card.state === FSRS.State.Review) learned += 1; else learning += 1;
    }
    return { due: due, learning: learning, learned: learned, fresh: fresh };
  };

  function today(now) {
    var date = new Date(now == null ? Date.now() : now);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /** "in 10 min", "in 3 days": when a card comes back. */
  function describeWait(ms) {
    var minutes = Math.round(ms / FSRS.MINUTE);
    if (minutes < 60) return plural(Math.max(minutes, 1), "min", "min");
    var hours = Math.round(minutes / 60);
    if (hours < 24) return plural(hours, "hour", "hours");
    var days = Math.round(ms / FSRS.DAY);
    if (days < 31) return plural(days, "day", "days");
    if (days < 365) return plural(Math.round(days / 30), "month", "months");
    return plural(Math.round(days / 36.5) / 10, "year", "years");
  }

  // ---------------------------------------------------------------------------------------
  // The practice page.
  // ---------------------------------------------------------------------------------------
  function setUpPractice() {
    var section = document.querySelector("[data-practice]");
    var data = window.SYLLABUS_PRACTICE;
    if (!section || !data) return null;
    var scheduler = new FSRS.Scheduler({ desiredRetention: 0.9 });
    var progress = new Progress(data.set);
    var $ = function (name) { return section.querySelector("[data-" + name + "]"); };
    var question = $("question"), answer = $("answer"), answerText = $("answer-text"), service = $("service"), source = $("source");
    var revealButton = $("reveal"), ratings = $("ratings"), status = $("status"), title = $("deck-title");
    var card = $("card"), done = $("done"), picker = $("picker"), message = $("message");
    var decks = {};
    data.decks.forEach(function (deck) { decks[deck.id] = deck; });
    var deck = null, mode = "review", queue = [], current = null, wake = null;

    function now() { return api.now(); }

    function chosen() {
      var parts = decodeURIComponent((window.location.hash || "").replace(/^#/, "")).split("/");
      return { deck: decks[parts[0]] ? parts[0] : "all", mode: parts[1] === "missed" ? "missed" : "review" };
    }

    function cardsOf(id) {
      return id === "all" ? data.cards : data.cards.filter(function (c) { return c.d === id; });
    }

    /** Due cards (earliest first), then today's new cards up to the daily limit. */
    function buildQueue() {
      var time = now(), cards = cardsOf(deck.id), due = [], fresh = [];
      if (mode === "missed") {
        queue = cards.filter(function (c) { var p = progress.card(c.g); return p && p.rating === FSRS.Rating.Again; });
        return;
      }
      var allowance = Math.max(0, data.newPerDay - progress.newOn(today(time)));
      cards.forEach(function (c) {
        var p = progress.card(c.g);
        if (p) { if (p.due <= time) due.push(c); }
        else if (fresh.length < allowance) fresh.push(c);
      });
      due.sort(function (a, b) { return progress.card(a.g).due - progress.card(b.g).due; });
      queue = due.concat(fresh);
    }

    function updateStatus() {
      var counts = progress.counts(cardsOf(deck.id).map(function (c) { return c.g; }), now());
      var newLeft = Math.min(counts.fresh, Math.max(0, data.newPerDay - progress.newOn(today(now()))));
      status.textContent = plural(counts.due, "due", "due") + " · " + plural(newLeft, "new", "new") + " · "
        + plural(counts.learning, "learning", "learning") + " · " + plural(counts.learned, "learned", "learned") + (mode === "missed" ? " · missed cards only" : "");
    }

    function setRevealed(open) {
      answer.hidden = !open;
      revealButton.textContent = open ? "Hide" : "Reveal";
      revealButton.setAttribute("aria-expanded", open ? "true" : "false");
      ratings.hidden = !open;
    }

    // Only due cards are shown (a card in its 10-minute step is not shown early): what the
    // page shows is what its counts say. While it waits, it shows the next card when it is due.
    function show() {
      window.clearTimeout(wake);
      wake = null;
      buildQueue();
      current = queue[0] || null;
      updateStatus();
      card.hidden = !current;
      done.hidden = !!current;
      section.querySelector(".controls").hidden = !current;
      if (!current) {
        var soonest = soonestDue();
        done.textContent = mode === "missed" ? "No missed cards in this deck." : nextDueText(soonest);
        // setTimeout takes at most 2^31 - 1 ms (24 days); a card due later is shown on a later visit.
        if (mode === "review" && soonest !== null && soonest - now() < 24 * FSRS.DAY) wake = window.setTimeout(show, Math.max(0, soonest - now()) + 500);
        return;
      }
      question.innerHTML = current.q;
      answerText.innerHTML = current.a;
      service.textContent = current.s;
      source.href = current.n;
      source.textContent = "Explained in “" + current.t + "”";
      var p = progress.card(current.g);
      [1, 2, 3, 4].forEach(function (rating) {
        var next = scheduler.review(p, rating, now(), current.g);
        var wait = ratings.querySelector('[data-rating="' + rating + '"] [data-wait]');
        if (wait) wait.textContent = describeWait(next.due - now());
      });
      setRevealed(false);
    }

    /** When the deck's next reviewed card is due (milliseconds since 1970), null if none was reviewed. */
    function soonestDue() {
      var soonest = null;
      cardsOf(deck.id).forEach(function (c) { var p = progress.card(c.g); if (p && (soonest === null || p.due < soonest)) soonest = p.due; });
      return soonest;
    }

    function nextDueText(soonest) {
      var text = "Nothing to review in this deck right now.";
      if (soonest !== null) text += " The next card is due in " + describeWait(soonest - now()) + ".";
      if (progress.newOn(today(now())) >= data.newPerDay) text += " Today's " + plural(data.newPerDay, "new card", "new cards") + " are done.";
      return text;
    }

    function rate(rating) {
      if (!current || answer.hidden) return;
      var before = progress.card(current.g);
      progress.record(current.g, scheduler.review(before, rating, now(), current.g), today(now()), !before);
      show();
    }

    function choose() {
      var choice = chosen();
      deck = decks[choice.deck];
      mode = choice.mode;
      title.textContent = deck.title;
      section.querySelectorAll("[data-deck-link]").forEach(function (link) {
        if (link.getAttribute("data-deck-link") === deck.id) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      });
      section.querySelectorAll("[data-mode-link]").forEach(function (link) {
        var target = link.getAttribute("data-mode-link");
        link.href = "#" + deck.id + (target === "missed" ? "/missed" : "");
        if (target === mode) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
      });
      if (picker) picker.open = false;
      show();
    }

    section.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest("[data-rating], [data-reveal], [data-export]") : null;
      if (!target) return;
      if (target.hasAttribute("data-reveal")) setRevealed(answer.hidden);
      else if (target.hasAttribute("data-export")) download();
      else rate(Number(target.getAttribute("data-rating")));
    });

    // Touch: a tap on the card reveals it; once revealed, a swipe left is Again, right is Good.
    var touchStart = null;
    card.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse") touchStart = { x: event.clientX, y: event.clientY };
    });
    card.addEventListener("pointerup", function (event) {
      if (!touchStart || event.target.closest("a")) { touchStart = null; return; }
      var dx = event.clientX - touchStart.x, dy = event.clientY - touchStart.y;
      touchStart = null;
      if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) { if (!answer.hidden) rate(dx < 0 ? 1 : 3); }
      else if (Math.abs(dx) < 10 && Math.abs(dy) < 10 && answer.hidden) setRevealed(true);
    });

    document.addEventListener("keydown", function (event) {
      var target = event.target || {};
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable) return;
      // Browser shortcuts (Ctrl+S, Cmd+P, Alt+Left) are not ours.
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === " " || event.key === "Enter") {
        // A focused link or button handles its own Enter and Space.
        if (/^(A|BUTTON|SUMMARY)$/.test(target.tagName) || !current) return;
        event.preventDefault();
        setRevealed(answer.hidden);
      } else if (/^[1-4]$/.test(event.key)) {
        rate(Number(event.key));
      }
    });

    // Export and import of the progress as a JSON file.
    function download() {
      var blob = new Blob([progress.exportJSON()], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "syllabus-progress-" + today(now()) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
    }
    var upload = $("import");
    upload.addEventListener("change", function () {
      var file = upload.files && upload.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        try { message.textContent = "Imported the progress of " + plural(progress.importJSON(String(reader.result)), "card", "cards") + "."; }
        catch (error) { message.textContent = "Could not import " + file.name + ": " + error.message + "."; }
        upload.value = "";
        show();
      };
      reader.readAsText(file);
    });

    window.addEventListener("hashchange", choose);
    window.addEventListener("storage", function (event) { if (event.key === progress.key) { progress.data = progress.read(); show(); } });
    var api = { now: function () { return Date.now(); }, progress: progress, scheduler: scheduler, refresh: show };
    section.classList.add("ready");
    choose();
    return api;
  }

  // Due, learning and learned counts on the home and service pages: elements with data-progress-cards
  // (the GUIDs of their cards, space-separated) get their counts written into them.
  function showCounts() {
    var places = document.querySelectorAll("[data-progress-cards]");
    var set = document.documentElement.getAttribute("data-progress-set");
    if (!places.length || !set) return;
    var progress = new Progress(set), time = Date.now(), any = false;
    places.forEach(function (place) {
      var guids = place.getAttribute("data-progress-cards").split(" ").filter(Boolean);
      var counts = progress.counts(guids, time);
      if (counts.due + counts.learned > 0 || guids.length - counts.fresh > 0) any = true;
      place.textContent = plural(counts.due, "due", "due") + " · " + plural(counts.learning, "learning", "learning") + " · "
        + plural(counts.learned, "learned", "learned");
    });
    document.documentElement.classList.toggle("has-progress", any);
  }

  window.SyllabusFSRS = FSRS;
  window.SyllabusProgress = Progress;
  window.SyllabusPractice = setUpPractice();
  showCounts();
})();
