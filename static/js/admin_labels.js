/* Names for the admin's unlabelled fields, so assistive technology can say what each is
   (axe: "Form elements must have labels"):
   - the fields of tabular inline rows, which Django heads with a column title but no
     <label>: each gets its column's title and its row number;
   - the search-as-you-type selects (select2), whose box points its name at the
     selected value's text -- empty while nothing is chosen: each gets its field label. */
(function () {
  "use strict";

  function text(node) { return node ? node.textContent.replace(/\s+/g, " ").trim() : ""; }

  function nameInlineFields(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var titles = {};
      table.querySelectorAll("thead th").forEach(function (th) {
        th.classList.forEach(function (cls) {
          if (cls.indexOf("column-") === 0) { titles[cls.slice(7)] = text(th); }
        });
      });
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        row.querySelectorAll("input, select, textarea").forEach(function (field) {
          if (field.type === "hidden" || field.labels && field.labels.length || field.getAttribute("aria-label")) { return; }
          var match = /-\d+-(.+)$/.exec(field.name || "");
          var title = match && (titles[match[1]] || (match[1] === "DELETE" ? "Delete" : match[1]));
          if (title) { field.setAttribute("aria-label", title + ", row " + (index + 1)); }
        });
      });
    });
  }

  function nameSearchSelects(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) { return; }
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var name = text(label).replace(/:$/, "") || select.getAttribute("aria-label") || "";
      if (!name) { return; }
      box.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (el) {
        el.setAttribute("aria-label", name);
      });
    });
  }

  function nameAll() { nameInlineFields(document); nameSearchSelects(document); }

  // select2 draws its boxes in a jQuery "ready" handler, which jQuery runs
  // asynchronously (sometimes after "load"); handlers run in the order they were added,
  // and this deferred script runs after the admin's own scripts added theirs.
  if (window.django && window.django.jQuery) { window.django.jQuery(nameAll); }
  else { window.addEventListener("load", nameAll); }
  document.addEventListener("formset:added", function () { window.setTimeout(nameAll, 0); });
})();
