/* Behaviour shared by every page. The Content Security Policy allows no inline script,
   handler or style attribute, so pages describe what they need in data- attributes:

   - data-width="45.7" / data-left="62.5": a bar's width or a marker's position, in %
     (set through the style object, which the CSP allows, unlike a style attribute);
   - data-print: a button that prints the page;
   - a[data-export-base]: an export link that carries the list's current filters;
   - button[data-tick-all]: ticks every checkbox of its form (the attendance form's page). */
(function () {
  "use strict";

  function percent(value) {
    var number = parseFloat(value);
    return isNaN(number) ? null : Math.min(100, Math.max(0, number)) + "%";
  }

  function place(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("[data-width], [data-left]"));
    if (scope.matches && scope.matches("[data-width], [data-left]")) { nodes.push(scope); }
    nodes.forEach(function (node) {
      var width = percent(node.dataset.width);
      var left = percent(node.dataset.left);
      if (width !== null) { node.style.width = width; }
      if (left !== null) { node.style.left = left; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { place(document); });
  // htmx swaps in filtered lists without a reload: place their bars too.
  document.addEventListener("htmx:load", function (event) { place(event.target); });

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) { return; }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var tick = event.target.closest("[data-tick-all]");
    if (tick && tick.form) {
      Array.prototype.forEach.call(
        tick.form.querySelectorAll('input[type="checkbox"]'),
        function (box) { box.checked = true; }
      );
      return;
    }
    // The filters change without a reload (htmx pushes the URL), so a click reads the
    // address bar's current filters.
    var link = event.target.closest("a[data-export-base]");
    if (!link) { return; }
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    var query = params.toString();
    link.href = link.dataset.exportBase + (query ? "?" + query : "");
  });
})();
