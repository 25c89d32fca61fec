/* What was typed survives an expired session.

   When a session has expired, posting a form is answered with the sign-in page
   (LoginRequiredMiddleware: /accounts/login/?next=<the form's page>), and the typed
   values would be lost. So, just before any POST form is sent, its fields are copied
   to this tab's sessionStorage (never passwords, files or the CSRF token). On the next
   page:
   - the sign-in page for that form's page (its ?next= names it), and the sign-in steps
     after it (/accounts/...), keep the copy;
   - the form's page reached after signing in puts the values back and says so — the
     user checks them and submits; nothing is sent on their behalf;
   - any other page (the form was accepted, or shown again with its errors by the
     server) drops the copy.
   sessionStorage belongs to one tab and ends with it: nothing leaves the browser. */
(function () {
  "use strict";

  var KEY = "roundtable:typed";
  var SKIPPED = { csrfmiddlewaretoken: true, next: true };

  function read() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function write(entry) {
    try {
      if (entry) { window.sessionStorage.setItem(KEY, JSON.stringify(entry)); }
      else { window.sessionStorage.removeItem(KEY); }
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }

  function kept(form) {
    return (form.method || "").toLowerCase() === "post"
      && !form.querySelector("input[type=password]")
      && !form.hasAttribute("data-keep-typed-off");
  }

  function fieldsOf(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIPPED[el.name] || el.disabled) { return; }
      var type = (el.type || "").toLowerCase();
      if (type === "file" || type === "password" || type === "submit" || type === "button" || type === "hidden") { return; }
      if (type === "checkbox" || type === "radio") {
        fields.push({ name: el.name, value: el.value, checked: el.checked });
      } else if (el.tagName === "SELECT" && el.multiple) {
        fields.push({ name: el.name, values: Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) });
      } else {
        fields.push({ name: el.name, value: el.value });
      }
    });
    return fields;
  }

  // Where a form posts: the page the sign-in sends back to (its ?next=).
  function target(form) {
    return new URL(form.getAttribute("action") || window.location.href, window.location.href).pathname;
  }
  function formsPostingTo(path) {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return target(form) === path;
    });
  }

  function restore(entry) {
    var form = formsPostingTo(entry.path)[entry.form];
    if (!form || !kept(form)) { return false; }
    entry.fields.forEach(function (field) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== field.name) { return; }
        var type = (el.type || "").toLowerCase();
        if (type === "checkbox" || type === "radio") {
          if (el.value === field.value) { el.checked = field.checked; }
        } else if (field.values) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = field.values.indexOf(o.value) !== -1; });
        } else if (type !== "file" && type !== "password" && type !== "hidden") {
          el.value = field.value;
        }
      });
    });
    var note = document.createElement("div");
    note.className = "alert alert-info";
    note.setAttribute("role", "status");
    note.setAttribute("data-testid", "typed-restored");
    note.textContent = "Your session had expired, so the form was not sent. What you typed is filled in again below: check it and send it again.";
    form.parentNode.insertBefore(note, form);
    return true;
  }

  function onLoad() {
    var entry = read();
    if (entry) {
      var path = window.location.pathname;
      var next = new URLSearchParams(window.location.search).get("next") || "";
      if (entry.stage === "sent" && next.split("?")[0] === entry.path) {
        entry.stage = "signing-in";
        write(entry);
      } else if (entry.stage === "signing-in" && path.indexOf("/accounts/") === 0 && path !== entry.path) {
        // A further sign-in step (the two-factor code): keep waiting.
      } else if (entry.stage === "signing-in" && path === entry.path) {
        write(null);
        restore(entry);
      } else {
        write(null);
      }
    }
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !kept(form)) { return; }
      var path = target(form);
      write({ path: path, form: formsPostingTo(path).indexOf(form), stage: "sent", fields: fieldsOf(form) });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", onLoad); }
  else { onLoad(); }
})();
