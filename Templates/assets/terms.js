// The term index's filter box: shows only the entries whose term contains what is typed.
// Plain script, so it works from file://.
(function () {
  "use strict";
  var input = document.querySelector("[data-term-filter]");
  if (!input) return;
  var groups = Array.prototype.slice.call(document.querySelectorAll(".term-group"));
  var status = document.querySelector("[data-term-count]");
  function filter() {
    var query = input.value.trim().toLowerCase(), shown = 0;
    groups.forEach(function (group) {
      var visible = 0;
      Array.prototype.forEach.call(group.querySelectorAll("dt"), function (term) {
        var match = !query || term.textContent.toLowerCase().indexOf(query) >= 0;
        term.hidden = !match;
        var places = term.nextElementSibling;
        if (places && places.tagName === "DD") places.hidden = !match;
        if (match) visible += 1;
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    status.textContent = query ? shown + (shown === 1 ? " term matches" : " terms match") : "";
  }
  input.addEventListener("input", filter);
  if (input.value) filter();
})();
