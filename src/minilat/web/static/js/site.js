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
  // Tables marked "sortable" sort in the browser: each column header becomes a button.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 2) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "th-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var down = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        var rows = Array.prototype.slice.call(body.rows);
        var value = function (r) {
          var t = (r.cells[col] ? r.cells[col].textContent : "").trim();
          var n = parseFloat(t.replace(/[^0-9.\-]/g, ""));
          return /^-?[0-9.,]+\s*(%|×)?$/.test(t) && !isNaN(n) ? n : t.toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
          return down ? -c : c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
