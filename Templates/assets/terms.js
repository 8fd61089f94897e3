// The term index's filter box: shows only the entries whose term contains what is typed, and
// the letters that still have one.
// Plain script, so it works from file://.
(function () {
  "use strict";
  var input = document.querySelector("[data-term-filter]");
  if (!input) return;
  var groups = Array.prototype.slice.call(document.querySelectorAll(".term-group"));
  var status = document.querySelector("[data-term-count]");
  // Case, accents and the two kana syllabaries do not count, as in the index's own order:
  // "uberblick" finds "Überblick", "らむ" finds "ラムダ".
  function folded(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[\u30A1-\u30F6]/g, function (kana) { return String.fromCharCode(kana.charCodeAt(0) - 0x60); });
  }
  function filter() {
    var query = folded(input.value.trim()), shown = 0;
    groups.forEach(function (group) {
      var visible = 0;
      Array.prototype.forEach.call(group.querySelectorAll("dt"), function (term) {
        var match = !query || folded(term.textContent).indexOf(query) >= 0;
        term.hidden = !match;
        var places = term.nextElementSibling;
        if (places && places.tagName === "DD") places.hidden = !match;
        if (match) visible += 1;
      });
      group.hidden = visible === 0;
      // Its letter in the row of letters goes with it: a letter that leads nowhere is a dead tap.
      var heading = group.querySelector("h2[id]");
      var letter = heading && document.querySelector('.letters a[href="#' + heading.id + '"]');
      if (letter) letter.parentNode.hidden = group.hidden;
      shown += visible;
    });
    status.textContent = query ? shown + (shown === 1 ? " term matches" : " terms match") : "";
  }
  input.addEventListener("input", filter);
  if (input.value) filter();
})();
