/* Spreadsheet upload: the size limit before sending, and the upload's progress. htmx
   reports the upload's progress; once the file is sent the server reads and checks it,
   shown as "Checking the rows…". */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "file" || !input.dataset.maxBytes) { return; }
      var file = input.files[0];
      var limit = parseInt(input.dataset.maxBytes, 10);
      input.setCustomValidity(file && file.size > limit ? "The file is larger than the limit (" + Math.round(limit / 1048576) + " MB)." : "");
      input.reportValidity();
    });
    document.body.addEventListener("htmx:xhr:progress", function (event) {
      var bar = document.getElementById("upload-progress");
      if (!bar || !event.detail.lengthComputable) { return; }
      var percent = Math.round(event.detail.loaded / event.detail.total * 100);
      bar.querySelector(".progress-bar").style.width = percent + "%";
      bar.setAttribute("aria-valuenow", percent);
      document.getElementById("upload-stage").textContent = percent < 100 ? "Uploading… " + percent + "%" : "Checking the rows…";
    });
  });
})();
