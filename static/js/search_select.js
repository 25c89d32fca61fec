// Search-as-you-type selects: a <select data-search-url="…"> holds only its fixed
// options and the current value; Tom Select asks the URL (?q=) for the rest as the
// user types, so a list page does not carry every department of the company.
(function () {
  "use strict";

  function init(select) {
    var url = select.getAttribute("data-search-url");
    // Tom Select points the <label> at its own search box; the original (hidden)
    // select keeps its name for assistive technology through aria-label.
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !select.getAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    // eslint-disable-next-line no-undef
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text", "value"],
      maxOptions: 20,
      allowEmptyOption: true,
      loadThrottle: 250,
      shouldLoad: function (query) { return query.length >= 1; },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.json(); })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
    });
  }

  function start() {
    if (typeof TomSelect === "undefined") { return; }
    document.querySelectorAll("select[data-search-url]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
