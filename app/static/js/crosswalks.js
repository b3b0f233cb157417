// Crosswalk authoring: filter each tree by the words typed above it (without script, both trees list everything).
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("[data-cw-filter]").forEach(function (input) {
    var tree = document.getElementById(input.getAttribute("data-cw-filter"));
    if (!tree) { return; }
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      tree.querySelectorAll("label[data-text]").forEach(function (label) {
        var text = fold(label.getAttribute("data-text"));
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        var checked = label.querySelector("input:checked");
        label.hidden = !(match || checked);
      });
    });
  });
  var all = document.getElementById("cw-pick-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=picks]").forEach(function (box) { box.checked = all.checked; });
    });
  }
})();
