// Progressive enhancement: "Use" copies a canned reply into the reply box for editing.
(function () {
  "use strict";
  var box = document.getElementById("reply-text");
  if (!box) { return; }
  document.querySelectorAll("button.use-canned").forEach(function (button) {
    button.addEventListener("click", function () {
      box.value = button.getAttribute("data-text");
      box.focus();
    });
  });
})();
