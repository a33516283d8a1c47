/* The target levels follow the phase the client aims at, at once: a target still at
 * the expected level of the phase it was prefilled from takes the level of the newly
 * chosen phase; one the consultant changed stays. Without this script the button
 * "Use this phase's levels as targets" does the same through the server, and saving
 * applies the same rule. */
(function () {
  "use strict";
  var phase = document.getElementById("id_target_phase");
  var prefilled = document.getElementById("id_targets_phase");
  if (!phase || !prefilled) {
    return;
  }
  var apply = document.querySelector("[data-phase-apply]");
  if (apply) {
    apply.parentElement.hidden = true;
  }
  phase.addEventListener("change", function () {
    document.querySelectorAll("input[data-phase-levels]").forEach(function (input) {
      var levels = JSON.parse(input.dataset.phaseLevels);
      var before = levels[prefilled.value || ""];
      if (input.value === "" || Number(input.value) === before) {
        input.value = levels[phase.value || ""];
      }
    });
    prefilled.value = phase.value;
  });
})();
