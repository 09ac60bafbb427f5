// The news draft's page: a button marked data-copy="<selector>" copies the text of the field it
// names (with the clerk's edits) and says whether it could, in the page's #news-copy-status.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var field = document.querySelector(button.getAttribute("data-copy"));
  var status = document.getElementById("news-copy-status");
  if (!field) return;

  function say(text) {
    if (status) status.textContent = text;
  }

  function copyBySelection() {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  button.addEventListener("click", function () {
    var done = function () {
      say(button.getAttribute("data-copied"));
    };
    var failed = function () {
      say(button.getAttribute("data-copy-failed"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        (copyBySelection() ? done : failed)();
      });
    } else {
      (copyBySelection() ? done : failed)();
    }
  });
});
