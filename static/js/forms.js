/* One post per form: a double click, a second Enter or an impatient click while
 * the page is still loading does not send the same form twice. Without this
 * script the server still takes a repeated post as one (submit, save, invite).
 * The button is only marked busy after the submit has started, so the pressed
 * button's name and value still go with the form. */
(function () {
  "use strict";
  var RETRY_AFTER_MS = 15000; // a stalled connection may be tried again

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function release(form) {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
    buttons(form).forEach(function (button) {
      button.classList.remove("disabled");
      button.removeAttribute("aria-disabled");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      buttons(form).forEach(function (button) {
        button.classList.add("disabled");
        button.setAttribute("aria-disabled", "true");
      });
    }, 0);
    window.setTimeout(function () { release(form); }, RETRY_AFTER_MS);
  });

  // Back to a page kept in the browser's memory: its forms can be used again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(release);
    }
  });
})();
