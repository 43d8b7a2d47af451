(function () {
  "use strict";
  var table = document.getElementById("filings");
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  // each heading becomes a button here: without this script there is nothing to press
  Array.prototype.forEach.call(heads, function (head) {
    var label = head.querySelector(".h");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label.textContent;
    if (label.title) button.title = label.title;
    head.replaceChild(button, label);
  });
  var VERDICT = 3;  // its data-sort is the server's default order: fail, error, incomplete, pass; most failures first
  function key(row, i, num) {
    var cell = row.cells[i];
    var v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    return num ? parseFloat(v) : v.toLowerCase();
  }
  function sort(i, dir) {
    var num = heads[i].getAttribute("data-type") === "num";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, i, num), y = key(b, i, num);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return c ? c * dir : key(a, VERDICT, true) - key(b, VERDICT, true);
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
    for (var k = 0; k < heads.length; k++) heads[k].removeAttribute("aria-sort");
    heads[i].setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(heads, function (head, i) {
    head.querySelector("button").addEventListener("click", function () {
      var now = head.getAttribute("aria-sort");
      var first = i === VERDICT || head.getAttribute("data-type") !== "num" ? 1 : -1;
      sort(i, now === "ascending" ? -1 : now === "descending" ? 1 : first);
    });
  });

  var only = document.getElementById("failing-only");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  function filter() {
    var words = search.value.trim().toLowerCase();
    var n = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var visible = (!only.checked || row.getAttribute("data-verdict") !== "pass")
        && (!words || row.textContent.toLowerCase().indexOf(words) >= 0);
      row.hidden = !visible;
      if (visible) n += 1;
    });
    shown.textContent = "Showing " + n + " of " + body.rows.length;
  }
  only.addEventListener("change", filter);
  search.addEventListener("input", filter);
  document.getElementById("tools").hidden = false;  // the controls need this script
  filter();
  sort(VERDICT, 1);  // the default order, as rendered
})();
