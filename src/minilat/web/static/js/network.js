// minilat network page: the co-membership graph, drawn in SVG with a small force layout.
// No library, no network access beyond this site's own /api/v1/network.
(function () {
  "use strict";
  var svg = document.getElementById("network-svg");
  var form = document.getElementById("network-form");
  if (!svg || !form) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var W = 1000, H = 700;
  var dateInput = document.getElementById("net-date");
  var yearInput = document.getElementById("net-year");
  var typeInput = document.getElementById("net-type");
  var universalInput = document.getElementById("net-universal");
  var dateOut = document.getElementById("net-date-out");
  var info = document.getElementById("network-info");
  var table = document.querySelector("#network-table tbody");
  var palette = ["#1f5f99", "#b34700", "#2e7d32", "#8e24aa", "#c62828", "#00838f",
                 "#6d4c41", "#ad1457", "#4e6b00", "#3949ab"];
  var pos = {};          // id -> {x, y}: kept across dates so the picture moves smoothly
  var seed = 7;
  function rand() { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; }
  var pending = null;
  var current = 0;

  // "1 grouping", "59 partners": the singular for exactly one, as the page's own tooltips
  function counted(n, noun, many) { return n + " " + (n === 1 ? noun : (many || noun + "s")); }

  function el(tag, attrs) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function layout(nodes, edges) {
    var n = nodes.length;
    if (!n) { return; }
    var idx = {};
    nodes.forEach(function (d, i) { idx[d.id] = i; });
    var x = new Float64Array(n), y = new Float64Array(n);
    var nbr = nodes.map(function () { return []; });
    edges.forEach(function (e) {
      var a = idx[e.a], b = idx[e.b];
      if (a !== undefined && b !== undefined) { nbr[a].push(b); nbr[b].push(a); }
    });
    nodes.forEach(function (d, i) {
      var p = pos[d.id];
      if (p) { x[i] = p.x; y[i] = p.y; return; }
      var known = nbr[i].filter(function (j) { return pos[nodes[j].id]; });
      if (known.length) {
        x[i] = known.reduce(function (s, j) { return s + pos[nodes[j].id].x; }, 0) / known.length + (rand() - 0.5) * 20;
        y[i] = known.reduce(function (s, j) { return s + pos[nodes[j].id].y; }, 0) / known.length + (rand() - 0.5) * 20;
      } else {
        var t = rand() * 2 * Math.PI, r = 150 + rand() * 150;
        x[i] = W / 2 + r * Math.cos(t); y[i] = H / 2 + r * Math.sin(t);
      }
    });
    var k = Math.sqrt((W * H) / n) * 0.55;
    var temp = W / 10;
    var maxW = edges.reduce(function (m, e) { return Math.max(m, e.weight); }, 0) || 1;
    for (var it = 0; it < 220; it++) {
      var dx = new Float64Array(n), dy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var ux = x[i] - x[j], uy = y[i] - y[j];
          var d2 = ux * ux + uy * uy + 0.01;
          var f = (k * k) / d2;
          dx[i] += ux * f; dy[i] += uy * f; dx[j] -= ux * f; dy[j] -= uy * f;
        }
      }
      edges.forEach(function (e) {
        var a = idx[e.a], b = idx[e.b];
        var ux = x[a] - x[b], uy = y[a] - y[b];
        var d = Math.sqrt(ux * ux + uy * uy) + 0.01;
        var f = (d / k) * (0.3 + e.weight / maxW);
        dx[a] -= ux * f; dy[a] -= uy * f; dx[b] += ux * f; dy[b] += uy * f;
      });
      for (i = 0; i < n; i++) {
        dx[i] += (W / 2 - x[i]) * 0.02 * k / 10; dy[i] += (H / 2 - y[i]) * 0.02 * k / 10;
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 0.01;
        var step = Math.min(len, temp);
        x[i] += dx[i] / len * step; y[i] += dy[i] / len * step;
        x[i] = Math.max(20, Math.min(W - 20, x[i])); y[i] = Math.max(20, Math.min(H - 20, y[i]));
      }
      temp *= 0.975;
    }
    nodes.forEach(function (d, i) { pos[d.id] = {x: x[i], y: y[i]}; });
  }

  function draw(net) {
    while (svg.lastChild && svg.lastChild.nodeName !== "title") { svg.removeChild(svg.lastChild); }
    var nodes = net.nodes, edges = net.edges;
    layout(nodes, edges);
    var gEdges = el("g", {"aria-hidden": "true"});
    var byNode = {};
    var maxW = edges.reduce(function (m, e) { return Math.max(m, e.weight); }, 0) || 1;
    edges.forEach(function (e) {
      var a = pos[e.a], b = pos[e.b];
      var line = el("line", {x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
                             "class": "edge", "stroke-width": (0.4 + 2.5 * e.weight / maxW).toFixed(2)});
      gEdges.appendChild(line);
      (byNode[e.a] = byNode[e.a] || []).push(line);
      (byNode[e.b] = byNode[e.b] || []).push(line);
    });
    svg.appendChild(gEdges);
    var gNodes = el("g", {});
    var gLabels = el("g", {"aria-hidden": "true"});
    var labelled = nodes.length <= 60 ? nodes.length : 160;
    nodes.forEach(function (d, rank) {
      var p = pos[d.id];
      var r = 3 + 2.2 * Math.sqrt(d.groupings);
      var c = el("circle", {cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), "class": "node",
                            fill: palette[d.community % palette.length], "data-id": d.id});
      var t = el("title", {});
      t.textContent = d.name + ": " + counted(d.degree, "partner") + ", " + counted(d.groupings, "grouping");
      c.appendChild(t);
      // one Tab stop for the whole drawing: the arrow keys move between the states
      c.setAttribute("tabindex", rank === 0 ? "0" : "-1");
      c.setAttribute("role", "link");
      c.setAttribute("aria-label", t.textContent);
      c.setAttribute("data-rank", String(rank));
      if (rank < labelled) {
        c.setAttribute("aria-label", t.textContent);
        var lab = el("text", {x: (p.x + r + 2).toFixed(1), y: (p.y + 3).toFixed(1), "class": "label", "data-rank": String(rank)});
        lab.textContent = d.name;
        gLabels.appendChild(lab);
      }
      var on = function () {
        c.classList.add("hl");
        (byNode[d.id] || []).forEach(function (l) { l.classList.add("hl"); });
        info.textContent = t.textContent;
      };
      var off = function () {
        c.classList.remove("hl");
        (byNode[d.id] || []).forEach(function (l) { l.classList.remove("hl"); });
      };
      c.addEventListener("mouseenter", on); c.addEventListener("focus", on);
      c.addEventListener("mouseleave", off); c.addEventListener("blur", off);
      c.addEventListener("click", function () { window.location.href = "/countries/" + encodeURIComponent(d.id); });
      c.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { window.location.href = "/countries/" + encodeURIComponent(d.id); }
        var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[ev.key];
        if (step) {
          ev.preventDefault();
          var next = svg.querySelector("circle.node[data-rank='" + (rank + step) + "']");
          if (next) { c.setAttribute("tabindex", "-1"); next.setAttribute("tabindex", "0"); next.focus(); }
        }
      });
      gNodes.appendChild(c);
    });
    svg.appendChild(gNodes);
    svg.appendChild(gLabels);
    if (typeof setView === "function") { setView(); }
    var counts = counted(nodes.length, "country", "countries") + ", " + counted(edges.length, "tie");
    svg.setAttribute("aria-label", "Co-membership network as of " + net.as_of + ": " + counts);
    info.textContent = counts + ", as of " + net.as_of +
                       (net.type ? " (" + net.type.replace(/_/g, " ") + ")" : "");
    if (table) {
      while (table.firstChild) { table.removeChild(table.firstChild); }
      nodes.slice().sort(function (a, b) { return b.degree - a.degree; }).forEach(function (d) {
        var tr = document.createElement("tr");
        var th = document.createElement("th"); th.setAttribute("scope", "row");
        var a = document.createElement("a"); a.href = "/countries/" + encodeURIComponent(d.id); a.textContent = d.name;
        th.appendChild(a); tr.appendChild(th);
        [d.degree, d.groupings].forEach(function (v) {
          var td = document.createElement("td"); td.className = "num"; td.textContent = String(v); tr.appendChild(td);
        });
        table.appendChild(tr);
      });
    }
  }

  function load() {
    var params = new URLSearchParams();
    params.set("as_of", dateInput.value);
    if (typeInput.value) { params.set("type", typeInput.value); }
    if (universalInput && universalInput.checked) { params.set("universal", "true"); }
    var ticket = ++current;
    svg.setAttribute("aria-busy", "true");
    fetch("/api/v1/network/graph?" + params.toString(), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (res) {
        if (ticket !== current) { return; }
        svg.removeAttribute("aria-busy");
        if (!res.ok) { info.textContent = res.body.error ? res.body.error.message : "error"; return; }
        draw(res.body);
        history.replaceState(null, "", "/network?" + params.toString());
      })
      .catch(function () { info.textContent = "Could not load the network."; });
  }

  function schedule() {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(load, 120);
  }

  yearInput.addEventListener("input", function () {
    var today = new Date().toISOString().slice(0, 10);
    var y = yearInput.value;
    dateInput.value = (y === today.slice(0, 4)) ? today : y + "-12-31";
    dateOut.textContent = dateInput.value;
    schedule();
  });
  dateInput.addEventListener("change", function () {
    if (dateInput.value) { yearInput.value = dateInput.value.slice(0, 4); dateOut.textContent = dateInput.value; schedule(); }
  });
  typeInput.addEventListener("change", schedule);
  if (universalInput) { universalInput.addEventListener("change", schedule); }
  // zoom (wheel, buttons) and pan (drag) by moving the viewBox; labels follow the zoom
  var view = {x: 0, y: 0, w: W, h: H};
  function setView() {
    svg.setAttribute("viewBox", view.x.toFixed(1) + " " + view.y.toFixed(1) + " " + view.w.toFixed(1) + " " + view.h.toFixed(1));
    var k = W / view.w;
    svg.querySelectorAll("text.label").forEach(function (t) {
      t.setAttribute("font-size", (10 / k).toFixed(2));
      var rank = Number(t.getAttribute("data-rank"));
      t.style.display = rank < 40 * k * k ? "" : "none";
    });
  }
  function zoom(f, cx, cy) {
    var nw = Math.max(W / 8, Math.min(W, view.w / f));
    var nh = nw * H / W;
    view.x = Math.max(0, Math.min(W - nw, cx - (cx - view.x) * nw / view.w));
    view.y = Math.max(0, Math.min(H - nh, cy - (cy - view.y) * nh / view.h));
    view.w = nw; view.h = nh; setView();
  }
  function toSvg(ev) {
    var r = svg.getBoundingClientRect();
    return {x: view.x + (ev.clientX - r.left) / r.width * view.w, y: view.y + (ev.clientY - r.top) / r.height * view.h};
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = toSvg(ev); zoom(ev.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, {passive: false});
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) { if (ev.target === svg || ev.target.tagName === "line") { drag = {x: ev.clientX, y: ev.clientY}; } });
  window.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    view.x = Math.max(0, Math.min(W - view.w, view.x - (ev.clientX - drag.x) / r.width * view.w));
    view.y = Math.max(0, Math.min(H - view.h, view.y - (ev.clientY - drag.y) / r.height * view.h));
    drag = {x: ev.clientX, y: ev.clientY}; setView();
  });
  document.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var f = b.getAttribute("data-zoom");
      if (f === "reset") { view = {x: 0, y: 0, w: W, h: H}; setView(); return; }
      zoom(Number(f), view.x + view.w / 2, view.y + view.h / 2);
    });
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
  load();
})();
