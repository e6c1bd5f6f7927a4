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
  // The menu button is for small screens: wide screens show the menu open.
  var menu = document.getElementById("site-menu");
  if (menu && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 62rem)");
    var sync = function () { if (wide.matches) { menu.open = true; } };
    sync();
    if (wide.addEventListener) { wide.addEventListener("change", sync); }
  }
})();
