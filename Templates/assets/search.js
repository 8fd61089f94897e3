// Syllabus full-text search: the box in the header, the results page (search.html?q=…) and
// the highlighting of the words found on the page a result opens.
// Plain script: from file:// a page can load scripts but not fetch files, modules, WebAssembly
// or workers, so the index (made by the build, see SearchIndex.swift) is a set of scripts in
// assets/search/, loaded on first use: index.js, then only the postings and text shards a
// query needs.
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script ? script.src.replace(/[^\/]*$/, "") + "search/" : "assets/search/";
  // The index's parts are raw deflate streams written in base 85 (see SearchIndex.swift).
  var BASE85 = "";
  for (var c = 0x21; c <= 0x7E; c++) if ("\"\\'<>&`$/".indexOf(String.fromCharCode(c)) < 0) BASE85 += String.fromCharCode(c);
  var SHARED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  var DIGIT = new Uint8Array(128);
  for (var a = 0; a < BASE85.length; a++) DIGIT[BASE85.charCodeAt(a)] = a;
  // BM25 parameters (S. Robertson, H. Zaragoza, "The Probabilistic Relevance Framework: BM25
  // and Beyond", 2009): k1 saturates term frequency, b normalises for document length.
  var K1 = 1.2, B = 0.75;
  // A prefix or a one-edit variant counts less than the word itself.
  var PREFIX_WEIGHT = 0.8, TYPO_WEIGHT = 0.6, MAX_EXPANSIONS = 30;
  // See markCommon. In the bundled study set "in", "of" and "the" are on 93 to 100 % of the
  // pages, a topic word such as "key" or "default" on 64 to 70 %.
  var COMMON_SHARE = 0.8, COMMON_MIN_PAGES = 20;

  // The engine without the page, for tests and the benchmark; `navigate` opens a result.
  var api = window.SyllabusSearch = {
    search: search,
    withSnippets: withSnippets,
    stem: function (word) { return stem(word); },
    navigate: function (url) { window.location.href = url; }
  };

  // ---- Loading -------------------------------------------------------------------------
  // Each part's bytes once loaded and inflated, by name.
  var unpacked = {};
  var waiting = {};
  // The parts' names in the order they were loaded.
  var loaded = api.loaded = [];

  function inflate(part, done) {
    var length = part[0], text = part[1], bytes = new Uint8Array(Math.ceil(length / 4) * 4);
    for (var group = 0, at = 0; at < text.length; group += 4, at += 5) {
      var value = 0;
      for (var k = 0; k < 5; k++) value = value * 85 + DIGIT[text.charCodeAt(at + k)];
      bytes[group] = value >>> 24;
      bytes[group + 1] = (value >>> 16) & 255;
      bytes[group + 2] = (value >>> 8) & 255;
      bytes[group + 3] = value & 255;
    }
    var stream = new Blob([bytes.subarray(0, length)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    new Response(stream).arrayBuffer().then(function (buffer) { done(new Uint8Array(buffer)); }, function () { done(null); });
  }

  // Loads part `name` (index, p<n>, t<n>) once and calls done() when its bytes are in `unpacked`.
  function load(name, done) {
    if (unpacked[name] !== undefined) { done(); return; }
    if (waiting[name]) { waiting[name].push(done); return; }
    waiting[name] = [done];
    function finish(bytes) {
      unpacked[name] = bytes;
      var callbacks = waiting[name];
      delete waiting[name];
      callbacks.forEach(function (callback) { callback(); });
    }
    var element = document.createElement("script");
    element.src = base + name + ".js";
    element.onload = function () {
      loaded.push(name);
      var part = (window.SYLLABUS_SEARCH_PARTS || {})[name];
      if (!part || typeof DecompressionStream === "undefined") { finish(null); return; }
      inflate(part, finish);
    };
    element.onerror = function () { finish(null); };
    document.head.appendChild(element);
  }
  function loadAll(names, done) {
    var left = names.length;
    if (!left) { done(); return; }
    names.forEach(function (name) { load(name, function () { if (--left === 0) done(); }); });
  }
  function json(name) {
    var bytes = unpacked[name];
    return bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null;
  }

  // ---- The index -----------------------------------------------------------------------
  var index = null;
  function withIndex(done) {
    if (index) { done(index); return; }
    load("index", function () {
      var raw = index ? null : json("index");
      if (!index && !raw) { done(null); return; }
      if (!index) {
        // Front-coded (see SearchIndex.frontCoded): how much of the word before, then the rest.
        var words = raw.words ? raw.words.split(" ") : [];
        for (var w = 0, previous = ""; w < words.length; w++) {
          previous = words[w] = previous.slice(0, SHARED.indexOf(words[w].charAt(0))) + words[w].slice(1);
        }
        stemming = !!raw.stems;
        var ids = new Map();
        for (var i = 0; i < words.length; i++) ids.set(words[i], i);
        var phrases = [];
        raw.services.forEach(function (service) {
          for (var j = 1; j < service.length; j++) phrases.push({ words: service[j].split(" "), token: service[0], service: service });
        });
        phrases.sort(function (x, y) { return y.words.length - x.words.length; });
        index = { docs: raw.docs, avgLength: raw.avgLength || 1, bodyWeight: raw.bodyWeight, words: words, ids: ids, phrases: phrases,
                  stop: new Set(raw.stop ? raw.stop.split(" ").map(function (word) { return stemming ? stem(word) : word; }) : []),
                  postingStarts: raw.postings, textStarts: raw.texts, postings: {}, texts: {} };
      }
      done(index);
    });
  }

  // The shard holding item `id` of a list cut at `starts`.
  function shardOf(starts, id) {
    var low = 0, high = starts.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (starts[middle] <= id) low = middle; else high = middle - 1;
    }
    return low;
  }

  // Postings shard n as one array per word: [doc, weight, doc, weight, …], a weight left out
  // being that of a word of prose.
  function postingLists(n) {
    if (index.postings[n]) return index.postings[n];
    var bytes = unpacked["p" + n] || new Uint8Array(0), position = 0, lists = [];
    function next() {
      var value = 0, scale = 1, byte;
      do {
        byte = bytes[position++];
        value += (byte & 127) * scale;
        scale *= 128;
      } while (byte >= 128);
      return value;
    }
    while (position < bytes.length) {
      var count = next(), list = new Array(count * 2), doc = 0;
      for (var i = 0; i < count; i++) {
        var gap = next();
        doc += Math.floor(gap / 2);
        list[2 * i] = doc;
        list[2 * i + 1] = gap % 2 ? next() : index.bodyWeight;
      }
      lists.push(list);
    }
    index.postings[n] = lists;
    return lists;
  }
  function postings(id) {
    var n = shardOf(index.postingStarts, id);
    return postingLists(n)[id - index.postingStarts[n]] || [];
  }

  // ---- Queries -------------------------------------------------------------------------
  // The scripts written without spaces between words (Han, Hiragana, Katakana, Hangul), as
  // `SearchIndex.isCJK` has them.
  var CJK_RANGES = "\\u1100-\\u11FF\\u3005-\\u3007\\u3021-\\u3029\\u3031-\\u3035\\u3038-\\u303C\\u3040-\\u30FF" +
    "\\u3130-\\u318F\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uA960-\\uA97F\\uAC00-\\uD7FF\\uF900-\\uFAFF" +
    "\\uFF66-\\uFFDC\\u{20000}-\\u{3134F}";
  var CJK = new RegExp("^[" + CJK_RANGES + "]", "u");
  // A run of CJK letters, or of other letters and digits.
  var WORD_RUN = new RegExp("(?:(?=[\\p{L}\\p{N}])[" + CJK_RANGES + "])+|(?:(?![" + CJK_RANGES + "])[\\p{L}\\p{N}])+", "gu");

  // Letters that no decomposition takes a mark from, as `SearchIndex.foldedLetters` has them.
  var FOLDED = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ı": "i" };

  // A lowercased word without diacritics, as `SearchIndex.folded` has it: decomposed, without
  // the combining marks of Latin, Greek and Cyrillic, the letters of FOLDED spelled plainly
  // (`ñandú` is `nandu`). Not for CJK words: NFD would split Hangul and kana with dakuten.
  function fold(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036F]/g, "").replace(/[ßæœøłđðþħı]/g, function (c) { return FOLDED[c]; });
  }

  // Words as the index splits them, lowercased and folded, each with where it is in `text`
  // (UTF-16 offsets): runs of letters and digits, a CJK run as its overlapping pairs of
  // characters (a run of one character as itself), since those scripts put no spaces between
  // words. A CJK word also has `run`, the words of its run.
  function wordsIn(text) {
    var words = [], match;
    WORD_RUN.lastIndex = 0;
    while ((match = WORD_RUN.exec(text))) {
      var run = match[0], at = match.index;
      if (!CJK.test(run)) {
        var word = fold(run.toLowerCase());
        words.push({ word: stemming ? stem(word) : word, start: at, end: at + run.length });
        continue;
      }
      var characters = Array.from(run), pairs = [];
      if (characters.length === 1) { words.push({ word: run, start: at, end: at + run.length, run: [run] }); continue; }
      for (var c = 0; c + 1 < characters.length; c++) {
        var pair = characters[c] + characters[c + 1];
        pairs.push(pair);
        words.push({ word: pair, start: at, end: at + pair.length, run: pairs });
        at += characters[c].length;
      }
    }
    return words;
  }

  // Whether words are taken by their plural stem (`stem`): as the index says once it is loaded,
  // and before that (on a page opened from a result, which marks its words without loading
  // the index) when the page is in English, whose sets' indexes stem.
  var stemming = /^en(?:[-_]|$)/i.test(document.documentElement.getAttribute("lang") || "");

  // The stem of an English plural, as EnglishPlural.stem has it (Harman's S-stemmer):
  // "policies" policy, "queues" queue, "keys" key; "status", "class", "aws" stay.
  function stem(word) {
    if (word.length < 4 || word.charAt(word.length - 1) !== "s" || !/^[a-z0-9]+$/.test(word)) return word;
    if (/[^ea]ies$/.test(word)) return word.slice(0, -3) + "y";
    if (/[us]s$/.test(word)) return word;
    if (/(x|sh|ss|[^a]ch)es$/.test(word)) return word.slice(0, -2);
    return word.slice(0, -1);
  }

  function tokens(text) {
    return wordsIn(String(text)).map(function (word) { return word.word; });
  }

  // At most one insertion, deletion, substitution or swap of two neighbours between a and b.
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The words of `query` (see wordsIn), each run of them joined by dots (`States.ALL`) as one
  // word, `states.all`, when the index has it, or while it is typed a word it starts: the
  // index holds such runs whole too.
  function queryWords(query, typing) {
    var items = wordsIn(query), result = [];
    for (var i = 0; i < items.length;) {
      var end = i + 1;
      while (end < items.length && !items[i].run && !items[end].run && items[end].start === items[end - 1].end + 1 &&
             query.charAt(items[end - 1].end) === ".") end++;
      var joined = items.slice(i, end).map(function (item) { return item.word; }).join(".");
      var held = end > i + 1 && (index.ids.has(joined) || (typing && end === items.length && index.words.some(function (word) {
        return word.lastIndexOf(joined, 0) === 0;
      })));
      if (held) result.push({ word: joined, start: items[i].start, end: items[end - 1].end });
      else result = result.concat(items.slice(i, end));
      i = end;
    }
    return result;
  }

  // The query as clauses: each word of it, or each service name it contains (as a whole). A
  // clause lists the index words that satisfy it, each with a weight.
  function clauses(query, typing) {
    var stillTyping = typing && !/[\s\p{P}]$/u.test(query);
    var items = queryWords(String(query), stillTyping), words = items.map(function (item) { return item.word; }), result = [];
    for (var i = 0; i < words.length;) {
      var phrase = null;
      for (var p = 0; p < index.phrases.length; p++) {
        var candidate = index.phrases[p];
        if (candidate.words[0] !== words[i] || i + candidate.words.length > words.length) continue;
        var same = true;
        for (var k = 1; k < candidate.words.length; k++) if (candidate.words[k] !== words[i + k]) { same = false; break; }
        if (same) { phrase = candidate; break; }
      }
      var terms = [], marks = [];
      function add(word, weight) {
        var id = index.ids.get(word);
        if (id !== undefined) terms.push({ id: id, weight: weight, word: word });
      }
      if (phrase) {
        add(phrase.token, 1);
        if (phrase.words.length === 1) add(words[i], 1);
        phrase.service.slice(1).forEach(function (name) { marks.push(name); });
        i += phrase.words.length;
        result.push({ text: phrase.words.join(" "), terms: terms, marks: marks });
        continue;
      }
      var run = items[i].run, word = words[i++];
      add(word, 1);
      if (run) {
        // A CJK pair must be there itself (no completions or corrections: a query of a CJK word
        // is all its pairs, so typing it finds its pages pair by pair). A lone character stands
        // for every pair it is in, first or second. The clause marks the whole run.
        if (run.length === 1 && Array.from(word).length === 1) {
          var pairs = index.words.filter(function (candidate) {
            return candidate !== word && CJK.test(candidate) && Array.from(candidate).indexOf(word) >= 0;
          });
          pairs.slice(0, MAX_EXPANSIONS).forEach(function (pair) { add(pair, 1); });
        }
        result.push({ text: word, terms: terms, marks: [run.join(" ")], run: run.length > 1 });
        continue;
      }
      var exact = terms.length > 0, typed = stillTyping && i === words.length;
      // A finished word the index holds means itself: its completions (rare words, so of a high
      // idf) would outrank the pages that use it. The word being typed, or one the index lacks,
      // also stands for the words it starts; a letter being typed for all of them, which
      // `search` cuts to the commonest once their postings are loaded.
      var letter = typed && Array.from(word).length === 1;
      var prefix = typed || (!exact && word.length >= 3);
      if (prefix || (!exact && word.length >= 5)) {
        var found = [];
        for (var w = 0; w < index.words.length; w++) {
          var candidateWord = index.words[w];
          if (candidateWord === word || candidateWord.charCodeAt(0) === 126) continue;
          if (prefix && candidateWord.lastIndexOf(word, 0) === 0) found.push({ word: candidateWord, weight: PREFIX_WEIGHT });
          else if (!exact && word.length >= 5 && withinOneEdit(word, candidateWord)) found.push({ word: candidateWord, weight: TYPO_WEIGHT });
        }
        // Closest first: the shortest completions and the corrections.
        found.sort(function (x, y) { return x.word.length - y.word.length || (x.word < y.word ? -1 : 1); });
        (letter ? found : found.slice(0, MAX_EXPANSIONS)).forEach(function (item) { add(item.word, item.weight); });
      }
      result.push({ text: word, terms: terms, marks: [], typed: typed, letter: letter });
    }
    return result;
  }

  // Ranks the documents for `query`. Calls done(results), each { doc, title, path, service,
  // score, marks (what to mark in it: per clause found, the words or names it stands for) },
  // best first.
  function search(query, options, done) {
    withIndex(function (idx) {
      if (!idx) { done([]); return; }
      var list = clauses(query, options.typing !== false);
      if (!list.length) { done([]); return; }
      var shards = {};
      list.forEach(function (clause) {
        clause.terms.forEach(function (term) { shards["p" + shardOf(idx.postingStarts, term.id)] = true; });
      });
      loadAll(Object.keys(shards), function () {
        // One letter starts too many words to take the shortest (`l`: let, log, lot…): it
        // stands for those that the most pages hold (`lambda`).
        list.forEach(function (clause) {
          if (!clause.letter) return;
          clause.terms.sort(function (x, y) { return postings(y.id).length - postings(x.id).length || x.id - y.id; });
          clause.terms = clause.terms.slice(0, MAX_EXPANSIONS);
        });
        done(rank(list));
      });
    });
  }

  function rank(list) {
    var docs = index.docs, total = docs.length, found = new Map();
    markCommon(list, total);
    // With a clause of rarer words, a common word's clause counts for nothing: a page without
    // "in" still matches "point in time recovery", and "what is a shard" ranks as "shard"
    // does ("what", on few pages, would outweigh "shard", on many).
    var counted = list.map(function (clause) { return !clause.common; });
    if (counted.indexOf(true) < 0) counted = list.map(function () { return true; });
    var needed = counted.filter(Boolean).length;
    list.forEach(function (clause, c) {
      // A completion or correction weighs at most what the word typed weighs: a rare
      // completion must not lift a page above the pages that hold the word itself. The words
      // a letter stands for weigh what the commonest (the first) weighs, for the same reason.
      var cap = Infinity;
      clause.terms.forEach(function (term) {
        var entries = postings(term.id), df = entries.length / 2;
        var idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
        if (term.weight < 1 || clause.letter) idf = Math.min(idf, cap);
        if (term.weight === 1 || clause.letter) cap = Math.min(cap, idf);
        for (var i = 0; i < entries.length; i += 2) {
          var doc = entries[i], tf = entries[i + 1] / index.bodyWeight;
          var norm = 1 - B + B * docs[doc][3] / index.avgLength;
          var score = term.weight * idf * tf * (K1 + 1) / (tf + K1 * norm);
          var hit = found.get(doc);
          if (!hit) { hit = { doc: doc, best: new Array(list.length), terms: new Array(list.length) }; found.set(doc, hit); }
          if (!(hit.best[c] >= score)) { hit.best[c] = score; hit.terms[c] = term; }
        }
      });
    });
    var hits = [], last = list.length - 1;
    found.forEach(function (hit) {
      hit.matched = 0;
      hit.score = 0;
      for (var c = 0; c < list.length; c++) {
        if (hit.best[c] === undefined || !counted[c]) continue;
        hit.matched++;
        hit.score += hit.best[c];
      }
      hits.push(hit);
    });
    // Documents that match every clause that counts when there are any; else, while a word is
    // typed, those that match every other (`署名付きQ`: the pages of 署名付き, though none holds
    // a word that q starts, and not the pages of 付き alone); else the best partial matches.
    var whole = hits.filter(function (hit) { return hit.matched === needed; });
    if (!whole.length && list[last].typed) {
      whole = hits.filter(function (hit) { return hit.matched === needed - 1 && hit.best[last] === undefined; });
    }
    if (whole.length) hits = whole;
    hits.sort(function (x, y) { return y.matched - x.matched || y.score - x.score || x.doc - y.doc; });
    return hits.map(function (hit) {
      // One group per clause: the names a service clause stands for mark together, as one word.
      var marks = [];
      hit.terms.forEach(function (term, c) {
        if (!term || !counted[c]) return;
        if (term.word.charAt(0) === "~" || list[c].run) marks.push(list[c].marks.slice());
        // A dotted word (`states.all`) is marked as its words in a row.
        else marks.push([term.word.replace(/\./g, " ")]);
      });
      var doc = index.docs[hit.doc];
      return { doc: hit.doc, title: doc[0], path: doc[1], service: doc[2], score: hit.score, marks: marks };
    });
  }

  // Sets `common` on each clause of a word that more than COMMON_SHARE of the pages hold
  // (`in`, `the`, `de`), or that the index lists as a function word of the set's language
  // (`index.stop`: `what`, `is`; see SearchIndex.functionWords): such a clause neither has to
  // match nor is marked when the query has another, as Lucene's common terms query treats
  // words above its cutoff frequency. By share as well as by list, so that it holds in every
  // language. The share counts only in a set of COMMON_MIN_PAGES pages or more, where it says
  // something; neither counts for a service name, a CJK run or the word being typed.
  function markCommon(list, total) {
    list.forEach(function (clause) {
      var exact = clause.terms[0];
      clause.common = !clause.run && !clause.typed && clause.marks.length === 0 && (index.stop.has(clause.text) ||
        (total >= COMMON_MIN_PAGES && exact !== undefined && exact.word === clause.text &&
         postings(exact.id).length / 2 > COMMON_SHARE * total));
    });
  }

  // ---- Snippets and marking --------------------------------------------------------------
  function escapeHTML(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // The ranges of `text` that spell one of `marks` (groups of words, or of names of several
  // words), each with `mark`, the index of its group.
  function markRanges(text, marks) {
    var found = [], words = wordsIn(text), sequences = [], groups = [];
    marks.forEach(function (group, g) {
      group.forEach(function (mark) { sequences.push(mark.split(" ")); groups.push(g); });
    });
    for (var i = 0; i < words.length; i++) {
      for (var s = 0; s < sequences.length; s++) {
        var sequence = sequences[s];
        if (i + sequence.length > words.length) continue;
        var same = true;
        for (var k = 0; k < sequence.length; k++) if (words[i + k].word !== sequence[k]) { same = false; break; }
        if (!same) continue;
        // CJK pairs overlap: a range that starts inside the last one extends it.
        var start = words[i].start, end = words[i + sequence.length - 1].end, last = found[found.length - 1];
        if (last && start < last.end) last.end = Math.max(last.end, end);
        else found.push({ start: start, end: end, mark: groups[s] });
        i += sequence.length - 1;
        break;
      }
    }
    return found;
  }

  // About `length` characters of `text` around the place with the most different marked words,
  // as HTML with those words in <mark>. The place starts at the text's start when its first
  // marked word ends within 60 characters, else 40 characters before that word, so the word is
  // in the first lines: a phone's list of results shows three (style.css), of about 24
  // Japanese characters each.
  function snippet(text, marks, length) {
    length = length || 180;
    var ranges = markRanges(text, marks), start = 0;
    if (ranges.length) {
      var best = -1;
      for (var r = 0; r < ranges.length && r < 60; r++) {
        var from = ranges[r].end <= 60 ? 0 : Math.max(0, ranges[r].start - 40), seen = {};
        for (var q = r; q < ranges.length && ranges[q].end <= from + length; q++) seen[ranges[q].mark] = true;
        var count = Object.keys(seen).length;
        if (count > best) { best = count; start = from; }
      }
    }
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space - start < 20) start = space + 1;
    }
    var end = Math.min(text.length, start + length);
    if (end < text.length) {
      var lastSpace = text.lastIndexOf(" ", end);
      if (lastSpace > start + length / 2) end = lastSpace;
    }
    var html = start > 0 ? "… " : "", position = start;
    ranges.forEach(function (range) {
      if (range.start < start || range.end > end) return;
      html += escapeHTML(text.slice(position, range.start)) + "<mark>" + escapeHTML(text.slice(range.start, range.end)) + "</mark>";
      position = range.end;
    });
    html += escapeHTML(text.slice(position, end)) + (end < text.length ? " …" : "");
    return html.replace(/\n/g, " · ");
  }

  // Loads the texts of `results` and sets each one's `snippet`.
  function withSnippets(results, done) {
    var names = {};
    results.forEach(function (result) { names["t" + shardOf(index.textStarts, result.doc)] = true; });
    loadAll(Object.keys(names), function () {
      var texts = index.texts;
      results.forEach(function (result) {
        var n = shardOf(index.textStarts, result.doc);
        if (!texts[n]) texts[n] = json("t" + n) || [];
        result.snippet = snippet(texts[n][result.doc - index.textStarts[n]] || "", result.marks);
      });
      done(results);
    });
  }

  // The link to a result: the page, told which words to mark, a group's names joined by `|`.
  function href(root, result) {
    var seen = {}, query = [];
    result.marks.forEach(function (group) {
      var mark = group.join("|");
      if (seen[mark]) return;
      seen[mark] = true;
      query.push("hl=" + encodeURIComponent(mark));
    });
    return root + result.path + (query.length ? "?" + query.join("&") : "");
  }

  // On a page opened from a result: marks the words it was found by and shows the passage
  // holding the most of them (`shownHit`).
  function highlightFromURL() {
    var marks = [];
    try { marks = new URLSearchParams(window.location.search).getAll("hl"); } catch (error) { return; }
    marks = marks.map(function (group) {
      return group.split("|").map(function (mark) { return tokens(mark).join(" "); }).filter(Boolean);
    }).filter(function (group) { return group.length; });
    var main = document.getElementById("main");
    if (!marks.length || !main) return;
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), nodes = [], node;
    while ((node = walker.nextNode())) {
      if (!node.parentNode.closest("script, style, mark")) nodes.push(node);
    }
    var hits = [];
    nodes.forEach(function (textNode) {
      var ranges = markRanges(textNode.data, marks), marked = [];
      // From the end, so that splitting leaves the earlier ranges' offsets as they were.
      for (var r = ranges.length - 1; r >= 0; r--) {
        var hit = textNode.splitText(ranges[r].start);
        hit.splitText(ranges[r].end - ranges[r].start);
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        hit.parentNode.replaceChild(mark, hit);
        mark.appendChild(hit);
        marked.unshift({ element: mark, mark: ranges[r].mark });
      }
      hits = hits.concat(marked);
    });
    var shown = shownHit(hits);
    if (!shown) return;
    shown.classList.add("search-shown");
    if (shown.scrollIntoView) shown.scrollIntoView({ block: "center" });
  }

  // Blocks a passage is read in: the marks of one count together.
  var PASSAGES = "p, li, dt, dd, td, th, h1, h2, h3, h4, h5, h6, pre, blockquote, figcaption";

  // The mark to show of `hits` ({ element, mark } in page order): the first of the passage
  // holding the most different words marked, as a result's snippet is the stretch holding
  // the most. On a tie, a passage that points elsewhere gives way: the page's title, which is
  // read first, and one whose marks are all link text, as in the list of a page's sections
  // that a published guide puts at its top ("Topics").
  function shownHit(hits) {
    var passages = [];
    hits.forEach(function (hit) {
      var block = hit.element.parentNode.closest(PASSAGES) || hit.element.parentNode;
      var passage = passages.length && passages[passages.length - 1].block === block ? passages[passages.length - 1] : null;
      if (!passage) {
        passage = { block: block, first: hit.element, words: {}, count: 0, title: block.tagName === "H1", linked: true };
        passages.push(passage);
      }
      if (!hit.element.closest("a")) passage.linked = false;
      if (!passage.words[hit.mark]) { passage.words[hit.mark] = true; passage.count++; }
    });
    function pointsElsewhere(passage) { return passage.title || passage.linked; }
    var best = null;
    passages.forEach(function (passage) {
      if (!best || passage.count > best.count || (passage.count === best.count && pointsElsewhere(best) && !pointsElsewhere(passage))) best = passage;
    });
    return best && best.first;
  }

  // ---- The box ---------------------------------------------------------------------------
  function setUpBox() {
    var input = document.getElementById("search-input");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!input || !list) return;
    var root = input.getAttribute("data-root") || "";
    var options = [], active = -1, generation = 0;

    function resultsPage(query) { return root + "search.html?q=" + encodeURIComponent(query); }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function setActive(position) {
      if (!options.length) return;
      active = (position + options.length) % options.length;
      options.forEach(function (option, i) { option.element.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].element.id);
      if (options[active].element.scrollIntoView) options[active].element.scrollIntoView({ block: "nearest" });
    }
    function open(position) {
      var option = options[position];
      if (option) api.navigate(option.href);
    }
    function option(id, href, build) {
      var item = document.createElement("li");
      item.id = "search-option-" + id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      build(item);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { api.navigate(href); });
      options.push({ element: item, href: href });
      list.appendChild(item);
    }
    function show(query) {
      var ticket = ++generation;
      if (!tokens(query).length) { list.innerHTML = ""; options = []; close(); if (status) status.textContent = ""; return; }
      search(query, { typing: true }, function (results) {
        if (ticket !== generation) return;
        var shown = results.slice(0, 8);
        withSnippets(shown, function () {
          if (ticket !== generation) return;
          list.innerHTML = "";
          options = [];
          active = -1;
          input.removeAttribute("aria-activedescendant");
          shown.forEach(function (result, i) {
            option(i, href(root, result), function (item) {
              var title = document.createElement("span");
              title.className = "search-title";
              appendResult(item, result, title, "span");
            });
          });
          option("all", resultsPage(query), function (item) {
            item.className = "search-all";
            item.textContent = !results.length ? "No matching pages: search again"
              : (results.length === 1 ? "The 1 result" : "All " + results.length + " results") + " for “" + query.trim() + "”";
          });
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          if (status) status.textContent = results.length ? results.length + " results" : "No matching pages";
        });
      });
    }

    input.addEventListener("input", function () { show(input.value); });
    input.addEventListener("focus", function () { if (input.value && options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden && input.value) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        event.preventDefault();
        setActive(active < 0 ? (event.key === "ArrowDown" ? 0 : -1) : active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (active >= 0) open(active);
        else if (tokens(input.value).length) api.navigate(resultsPage(input.value));
      } else if (event.key === "Escape") {
        if (!list.hidden) close(); else input.value = "";
      }
    });
  }

  // A result as the box and the results page show it: `title` (made by the caller, a link on
  // the page) with the result's title, then its service and its snippet (a `snippetTag`).
  function appendResult(item, result, title, snippetTag) {
    title.textContent = result.title;
    var service = document.createElement("span");
    service.className = "search-service";
    service.textContent = result.service;
    var text = document.createElement(snippetTag);
    text.className = "search-snippet";
    text.innerHTML = result.snippet;
    item.appendChild(title);
    item.appendChild(service);
    item.appendChild(text);
  }

  // ---- The results page ------------------------------------------------------------------
  function setUpResultsPage() {
    var list = document.getElementById("search-page-results");
    if (!list) return;
    var status = document.getElementById("search-page-status");
    var field = document.getElementById("search-page-input");
    var root = list.getAttribute("data-root") || "";
    var query = "";
    try { query = new URLSearchParams(window.location.search).get("q") || ""; } catch (error) { query = ""; }
    if (field) field.value = query;
    if (!tokens(query).length) { status.textContent = "Type words to look for in every note, card and service page."; return; }
    status.textContent = "Searching…";
    // Results come 50 at a time (each batch loads the text parts its snippets are in); a
    // button after the list shows the next ones.
    var batch = 50, more = document.createElement("button");
    more.type = "button";
    more.className = "search-page-more";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
    search(query, { typing: false }, function (results) {
      var count = 0;
      function say() {
        status.textContent = results.length
          ? results.length + (results.length === 1 ? " result" : " results") + " for “" + query + "”" + (results.length > count ? " (the first " + count + " shown)" : "")
          : "No matching pages for “" + query + "”.";
        var left = results.length - count;
        more.hidden = left <= 0;
        more.textContent = "Show " + Math.min(left, batch) + " more";
      }
      function show(done) {
        var shown = results.slice(count, count + batch);
        withSnippets(shown, function () {
          var first = null;
          shown.forEach(function (result) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = href(root, result);
            appendResult(item, result, link, "p");
            list.appendChild(item);
            first = first || link;
          });
          count += shown.length;
          say();
          done(first);
        });
      }
      more.addEventListener("click", function () {
        more.disabled = true;
        // Focus goes to the first result shown now, which would otherwise be below the keyboard's reach.
        show(function (first) { more.disabled = false; if (first) first.focus(); });
      });
      list.innerHTML = "";
      show(function () {});
    });
  }


  setUpBox();
  setUpResultsPage();
  highlightFromURL();
})();
