// minilat: small progressive enhancements. Pages work without this file.
(function () {
  "use strict";
  // Chart read-outs: hovering or focusing a point or a bar shows its value below the chart.
  document.querySelectorAll("svg.js-chart").forEach(function (svg) {
    var out = svg.parentNode.querySelector(".readout");
    if (!out) { return; }
    svg.querySelectorAll("[data-label]").forEach(function (el) {
      var show = function () { out.textContent = el.getAttribute("data-label"); };
      el.addEventListener("mouseenter", show);
      el.addEventListener("focus", show);
    });
  });
})();
