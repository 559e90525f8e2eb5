/* kjqg report (MIT): click a header to sort a table (numbers numerically, text by zh collation). */
(function () {
  "use strict";
  var coll = new Intl.Collator("zh-CN", {numeric: true});
  function key(td) { return td ? td.textContent.trim() : ""; }
  function num(s) { var t = s.replace(/%$/, ""); return t !== "" && isFinite(+t) ? +t : null; }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var ths = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths, function (th, col) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        Array.prototype.forEach.call(ths, function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]), nx = num(x), ny = num(y);
          var c = (nx !== null && ny !== null) ? nx - ny : coll.compare(x, y);
          return asc ? c : -c;
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      });
    });
  });
  window.kjqgReport = {ready: true};
})();
