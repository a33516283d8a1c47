/* Autosave for the questionnaire: every change is posted at once.
 * Progressive enhancement: without this script the "Next" button saves the page.
 * Each save carries an increasing sequence number, so the server ignores a late,
 * stale save that arrives after a newer one. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var sequence = parseInt(form.getAttribute("data-sequence"), 10) || 0;
  var status = document.getElementById("save-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timers = {};
  var failed = false;

  function say(key) {
    if (status) {
      status.textContent = form.getAttribute("data-text-" + key) || "";
      status.className = "im-save-status im-save-" + key;
    }
  }

  function state(code) {
    var checked = form.querySelector('input[type=radio][data-question="' + code + '"]:checked');
    var text = form.querySelector('textarea[data-question="' + code + '"]');
    var comment = form.querySelector('textarea[data-comment-for="' + code + '"]');
    var body = { question: code };
    if (text) {
      body.value = text.value;
    } else if (checked) {
      body.value = checked.value;
    }
    if (comment) {
      body.comment = comment.value;
    }
    return body;
  }

  function save(code) {
    var body = state(code);
    sequence += 1;
    body.sequence = sequence;
    say("saving");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      failed = false;
      say("saved");
    }).catch(function () {
      failed = true;
      say("failed");
    });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    var code = target.getAttribute("data-question") || target.getAttribute("data-comment-for");
    if (code && target.type === "radio") {
      save(code);
    }
  });

  form.addEventListener("input", function (event) {
    var target = event.target;
    var code = target.getAttribute("data-question") || target.getAttribute("data-comment-for");
    if (!code || target.tagName !== "TEXTAREA") {
      return;
    }
    clearTimeout(timers[code]);
    timers[code] = setTimeout(function () { save(code); }, 700);
  });

  // A failed save is repeated by the normal form post when the respondent moves on.
  form.addEventListener("submit", function () {
    Object.keys(timers).forEach(function (code) { clearTimeout(timers[code]); });
    return failed;
  });
})();
