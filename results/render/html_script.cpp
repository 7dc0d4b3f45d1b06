#include "results/render/html_script.h"

namespace sb {

// Long labels wrap anywhere instead of widening the page; figures scale down
// to the page width once their viewBox holds all of their drawing.
const char* const kReportStyle = R"(body{font-family:sans-serif;margin:2em;color:#222;max-width:1600px}
h1,h2,h3,p,li,td,th,summary,pre{overflow-wrap:break-word}
td.long,li,pre{overflow-wrap:anywhere}
td.long{min-width:12em}
nav ul{columns:3 16em}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}
th,td{border-bottom:1px solid #ccc;padding:0.25em 0.6em;text-align:left;vertical-align:top}
th{cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
div.table-wrap{overflow-x:auto;max-width:100%}
input.sb-filter{margin:0.5em 0 0;padding:0.2em 0.4em;width:20em;max-width:100%}
ul.notes{font-size:0.85em;color:#444}
pre{background:#f4f4f4;padding:0.5em;white-space:pre-wrap}
svg{display:block;margin:1em 0;max-width:100%;height:auto}
svg text{font-family:sans-serif;font-size:13px}
[data-clipped]{outline:2px solid red}
)";

// 1. Tables: a click on a header sorts by that column (numbers by their
//    data-v value, n/a last; again to reverse); tables of more than 5 rows
//    get a filter box (rows whose text contains it stay).
// 2. Figures: each SVG's viewBox becomes the bounding box of its drawing
//    (plus a margin), so a label longer than the space planned for it
//    widens the figure instead of being cut; CSS scales it to the page.
// 3. Self-check: text wider than its box (HTML), outside its figure (SVG),
//    or a page wider than the window gets data-clipped (tables wider than
//    the page scroll in their own box), and <body data-clip-check> says "ok" or how many;
//    tests read it from the DOM Chromium dumps.
// 4. With #check-interactions in the URL, it sorts and filters the first sortable
//    table and records the outcome in <body data-interaction-check>.
const char* const kReportScript = R"JS((function () {
  "use strict";
  function key(td) {
    var v = td.getAttribute("data-v");
    if (v === null) return td.textContent.trim().toLowerCase();
    return v === "" ? NaN : parseFloat(v);
  }
  function compare(a, b, asc) {
    var an = typeof a === "number", bn = typeof b === "number";
    if (an && bn) {
      if (isNaN(a) || isNaN(b)) return isNaN(a) - isNaN(b);
      return asc ? a - b : b - a;
    }
    var c = String(a).localeCompare(String(b), undefined, {numeric: true});
    return asc ? c : -c;
  }
  function sortBy(table, col) {
    var th = table.tHead.rows[0].cells[col];
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) { return compare(key(r1.cells[col]), key(r2.cells[col]), asc); });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  function filter(table, text) {
    var q = text.trim().toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
    });
  }
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.sb"));
  tables.forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      th.title = "sort by " + th.textContent;
      th.addEventListener("click", function () { sortBy(table, col); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, col); });
    });
    // A table wider than the page scrolls inside its own box, not the page.
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
    if (table.tBodies[0].rows.length > 5) {
      var box = document.createElement("input");
      box.type = "search";
      box.className = "sb-filter";
      box.placeholder = "filter rows";
      box.setAttribute("aria-label", "filter rows");
      box.addEventListener("input", function () { filter(table, box.value); });
      wrap.parentNode.insertBefore(box, wrap);
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
    var b = svg.getBBox(), m = 6;
    var vb = svg.viewBox.baseVal;
    var x0 = Math.min(vb && vb.width ? vb.x : 0, b.x - m), y0 = Math.min(vb && vb.height ? vb.y : 0, b.y - m);
    var x1 = Math.max(vb && vb.width ? vb.x + vb.width : 0, b.x + b.width + m);
    var y1 = Math.max(vb && vb.height ? vb.y + vb.height : 0, b.y + b.height + m);
    svg.setAttribute("viewBox", [x0, y0, x1 - x0, y1 - y0].map(function (v) { return v.toFixed(1); }).join(" "));
    svg.setAttribute("width", (x1 - x0).toFixed(1));
    svg.setAttribute("height", (y1 - y0).toFixed(1));
  });

  var clipped = [];
  Array.prototype.forEach.call(document.querySelectorAll("h1,h2,h3,p,li,td,th,summary,pre"), function (e) {
    if (e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1) clipped.push(e);
  });
  Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
    var box = svg.getBoundingClientRect();
    Array.prototype.forEach.call(svg.querySelectorAll("text"), function (t) {
      var r = t.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 ||
          r.bottom > box.bottom + 0.5) clipped.push(t);
    });
  });
  // The page itself must not be wider than the window.
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) clipped.push(document.body);
  clipped.forEach(function (e) { e.setAttribute("data-clipped", ""); });
  document.body.setAttribute("data-clip-check", clipped.length ? "clipped " + clipped.length : "ok");

  if (location.hash === "#check-interactions" && tables.length) {
    var t = tables.find(function (x) { return x.querySelector("td[data-v]") && x.tBodies[0].rows.length > 5; });
    var out = [];
    if (t) {
      var col = Array.prototype.indexOf.call(t.tBodies[0].rows[0].cells, t.tBodies[0].rows[0].querySelector("td[data-v]"));
      sortBy(t, col);
      var values = Array.prototype.map.call(t.tBodies[0].rows, function (r) { return key(r.cells[col]); })
                       .filter(function (v) { return !isNaN(v); });
      var sorted = values.every(function (v, i) { return i === 0 || values[i - 1] <= v; });
      out.push("sort:" + (sorted ? "ok" : "bad"));
      var first = t.tBodies[0].rows[0].textContent;
      filter(t, first);
      var shown = Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; });
      var ok = shown.length > 0 && shown.length < t.tBodies[0].rows.length &&
               shown.every(function (r) { return r.textContent.indexOf(first) >= 0; });
      out.push("filter:" + (ok ? "ok" : "bad"));
      filter(t, "");
    } else {
      out.push("no-table");
    }
    document.body.setAttribute("data-interaction-check", out.join(" "));
  }
})();
)JS";

}  // namespace sb
