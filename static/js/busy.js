// A form marked js-busy shows that it is working once submitted (large files take a while)
// and cannot be sent twice.
document.querySelectorAll("form.js-busy").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
    var note = form.querySelector(".js-busy-note");
    if (note) {
      note.hidden = false;
    }
  });
});
