#include "results/render/html_script.h"

namespace sb {

// Long labels wrap anywhere instead of widening the page; figures scale down
// to the page width once their viewBox holds all of their drawing.
const char* const kReportStyle = R"(body{font-family:sans-serif;margin:2em;color:#222;max-width:1600px}
h1,h2,h3,p,li,td,th,summary,pre,label{overflow-wrap:break-word}
td.long,li,pre{overflow-wrap:anywhere}
td.long{min-width:12em}
nav.tabs{display:flex;flex-wrap:wrap;gap:0.3em;border-bottom:2px solid #369;margin:0.5em 0}
nav.tabs a{padding:0.35em 0.9em;border:1px solid #bcd;border-bottom:none;border-radius:4px 4px 0 0;
  background:#f2f5f8;color:#124;text-decoration:none;overflow-wrap:anywhere}
nav.tabs a[aria-selected=true]{background:#369;color:#fff;border-color:#369}
nav.tabs a.empty{color:#888}
body.js header{position:sticky;top:0;background:#fff;z-index:1;padding-bottom:0.2em}
body.js section.page{display:none}
body.js section.page.current{display:block}
p.run-select select{font-size:1em;max-width:100%}
.note{font-size:0.9em;color:#444}
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

// 1. Pages: the tabs show one <section class="page"> (the others hide), the
//    run selector shows in every page the variant whose data-runs holds the
//    run; the hash says both ("#suite-NAME&run=2") so a view is a link.
//    Without the script every page shows, for all runs.
// 2. Tables: a click on a header sorts by that column (numbers by their
//    data-v value, n/a last; again to reverse); tables of more than 5 rows
//    get a filter box (rows whose text contains it stay).
// 3. Figures: each SVG's viewBox becomes the bounding box of its drawing
//    (plus a margin), so a label longer than the space planned for it
//    widens the figure instead of being cut; CSS scales it to the page.
//    Done when a figure is first shown (a hidden one has no box).
// 4. Self-check: text wider than its box (HTML), outside its figure (SVG),
//    or a page wider than the window gets data-clipped (tables wider than
//    the page scroll in their own box), and <body data-clip-check> says "ok" or how many;
//    tests read it from the DOM Chromium dumps.
// 5. With #check-interactions in the URL, it sorts and filters the first sortable
//    table (<body data-interaction-check>), clicks every tab and picks every
//    run (<body data-navigation-check>), and runs the self-check on every
//    (page, run) view.
const char* const kReportScript = R"JS((function () {
  "use strict";
  var checking = location.hash === "#check-interactions";
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
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
  var tables = all("table.sb");
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

  function shown(e) { return e.getClientRects().length > 0; }
  function fitFigures() {
    all("svg:not([data-fitted])").filter(shown).forEach(function (svg) {
      var b = svg.getBBox(), m = 6;
      var vb = svg.viewBox.baseVal;
      var x0 = Math.min(vb && vb.width ? vb.x : 0, b.x - m), y0 = Math.min(vb && vb.height ? vb.y : 0, b.y - m);
      var x1 = Math.max(vb && vb.width ? vb.x + vb.width : 0, b.x + b.width + m);
      var y1 = Math.max(vb && vb.height ? vb.y + vb.height : 0, b.y + b.height + m);
      svg.setAttribute("viewBox", [x0, y0, x1 - x0, y1 - y0].map(function (v) { return v.toFixed(1); }).join(" "));
      svg.setAttribute("width", (x1 - x0).toFixed(1));
      svg.setAttribute("height", (y1 - y0).toFixed(1));
      svg.setAttribute("data-fitted", "");
    });
  }

  // Pages and runs.
  var pages = all("section.page"), tabs = all("nav.tabs a"), select = document.getElementById("run-select");
  // The pages' ids move to data-page, so that the browser does not scroll
  // to a page's heading (the script shows the page instead).
  pages.forEach(function (p) { p.setAttribute("data-page", p.id); p.removeAttribute("id"); });
  var state = {page: pages.length ? pages[0].getAttribute("data-page") : "", run: "all"};
  document.body.classList.add("js");
  if (select) select.closest("p").hidden = false;
  function holds(e, run) { return (" " + e.getAttribute("data-runs") + " ").indexOf(" " + run + " ") >= 0; }
  function pageOf(id) {  // the page named id or holding the element with this id
    var named = pages.filter(function (p) { return p.getAttribute("data-page") === id; });
    if (named.length) return named[0];
    var e = id ? document.getElementById(id) : null;
    while (e && !(e.tagName === "SECTION" && e.classList.contains("page"))) e = e.parentElement;
    return e;
  }
  function show(page, run) {
    state.page = page;
    state.run = run;
    pages.forEach(function (p) { p.classList.toggle("current", p.getAttribute("data-page") === page); });
    tabs.forEach(function (t) {
      t.setAttribute("aria-selected", t.getAttribute("href") === "#" + page ? "true" : "false");
      t.classList.toggle("empty", t.hasAttribute("data-runs") && !holds(t, run));
    });
    all("div.variant").forEach(function (v) { v.hidden = !holds(v, run); });
    if (select) select.value = run;
    fitFigures();
  }
  function fromHash() {
    var next = {page: state.page, run: "all"};
    location.hash.slice(1).split("&").forEach(function (part) {
      part = decodeURIComponent(part);
      if (part.indexOf("run=") === 0) {
        var run = part.slice(4);
        if (select && all("option", select).some(function (o) { return o.value === run; })) next.run = run;
      } else if (pageOf(part)) {
        next.page = pageOf(part).getAttribute("data-page");
      }
    });
    show(next.page, next.run);
  }
  // A new history entry per tab or run change, so the back button steps back
  // through them (popstate / hashchange call fromHash).
  function toHash() {
    var hash = "#" + state.page + (state.run === "all" ? "" : "&run=" + state.run);
    if (location.hash !== hash) history.pushState(null, "", hash);
  }
  tabs.forEach(function (t) {
    t.addEventListener("click", function (e) {
      var page = pageOf(t.getAttribute("href").slice(1));
      if (!page) return;
      e.preventDefault();
      show(page.getAttribute("data-page"), state.run);
      toHash();
      window.scrollTo(0, 0);
    });
  });
  if (select) select.addEventListener("change", function () { show(state.page, select.value); toHash(); });
  // A page starts at its top (not where the browser scrolled to its id).
  function onHash() { fromHash(); window.scrollTo(0, 0); }
  window.addEventListener("hashchange", onHash);
  window.addEventListener("popstate", onHash);
  window.addEventListener("load", function () { window.scrollTo(0, 0); });
  fromHash();

  function clippedNow() {
    var clipped = [];
    all("h1,h2,h3,p,li,td,th,summary,pre,label,nav a").forEach(function (e) {
      if (e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1) clipped.push(e);
    });
    all("svg").filter(shown).forEach(function (svg) {
      var box = svg.getBoundingClientRect();
      all("text", svg).forEach(function (t) {
        var r = t.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 ||
            r.bottom > box.bottom + 0.5) clipped.push(t);
      });
    });
    // The page itself must not be wider than the window.
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) clipped.push(document.body);
    return clipped;
  }
  var options = select ? all("option", select).map(function (o) { return o.value; }) : ["all"];
  var clipped = [];
  function checkView() {
    clippedNow().forEach(function (e) { if (clipped.indexOf(e) < 0) clipped.push(e); });
  }
  if (checking) {
    // Every (page, run) view: the tables and figures of all of them.
    var start = {page: state.page, run: state.run};
    pages.forEach(function (p) { options.forEach(function (run) { show(p.getAttribute("data-page"), run); checkView(); }); });
    show(start.page, start.run);
  } else {
    checkView();
  }
  clipped.forEach(function (e) { e.setAttribute("data-clipped", ""); });
  document.body.setAttribute("data-clip-check", clipped.length ? "clipped " + clipped.length : "ok");

  if (checking && tables.length) {
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
      var kept = Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; });
      var ok = kept.length > 0 && kept.length < t.tBodies[0].rows.length &&
               kept.every(function (r) { return r.textContent.indexOf(first) >= 0; });
      out.push("filter:" + (ok ? "ok" : "bad"));
      filter(t, "");
    } else {
      out.push("no-table");
    }
    document.body.setAttribute("data-interaction-check", out.join(" "));
  }
  if (checking) {
    // Clicking a tab shows its page alone; picking a run shows in every
    // page the one variant of that run, and the overview's text changes.
    var nav = [];
    var tabsOk = tabs.length > 0 && tabs.every(function (tab) {
      tab.click();
      var visible = pages.filter(shown);
      var name = visible.length === 1 ? visible[0].getAttribute("data-page") : "";
      return name !== "" && "#" + name === tab.getAttribute("href") &&
             tab.getAttribute("aria-selected") === "true" && location.hash.indexOf(name) === 1;
    });
    nav.push("tabs:" + (tabsOk ? "ok" : "bad"));
    if (select) {
      tabs[0].click();
      var texts = [];
      var runsOk = options.every(function (run) {
        select.value = run;
        select.dispatchEvent(new Event("change"));
        var one = pages.every(function (p) {
          var v = all("div.variant", p).filter(function (d) { return !d.hidden; });
          return v.length === 1 && holds(v[0], run);
        });
        var text = all("div.variant", pages[0]).filter(shown).map(function (d) { return d.textContent; }).join("");
        var fresh = texts.indexOf(text) < 0;
        texts.push(text);
        return one && fresh && text !== "";
      });
      nav.push("runs:" + (runsOk ? "ok" : "bad") + "/" + options.length);
      select.value = "all";
      select.dispatchEvent(new Event("change"));
    } else {
      nav.push("runs:none");
    }
    document.body.setAttribute("data-navigation-check", nav.join(" "));
  }
})();
)JS";

}  // namespace sb
