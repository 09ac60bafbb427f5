// Behaviour of our pages, kept out of the HTML so the Content-Security-Policy can forbid inline
// scripts: a button marked data-print prints the page.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});

// A checkbox marked data-check-all="<selector>" ticks or clears every checkbox it names (the
// publish checklist's "Chọn tất cả"), and shows whether all of them are ticked.
document.querySelectorAll("[data-check-all]").forEach(function (master) {
  var boxes = document.querySelectorAll(master.getAttribute("data-check-all"));
  master.addEventListener("change", function () {
    boxes.forEach(function (box) {
      box.checked = master.checked;
    });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      master.checked = Array.prototype.every.call(boxes, function (b) {
        return b.checked;
      });
    });
  });
});

// The bell's unread count, asked of the server after the page is shown (the page itself pays no
// query for it).
(function () {
  var bell = document.getElementById("bell");
  var badge = document.getElementById("bell-count");
  if (!bell || !badge || !window.fetch) return;
  fetch(bell.getAttribute("data-unread-url"), { credentials: "same-origin" })
    .then(function (response) {
      return response.ok ? response.json() : { unread: 0 };
    })
    .then(function (data) {
      if (data.unread > 0) {
        badge.textContent = data.unread;
        badge.hidden = false;
        bell.setAttribute("aria-label", bell.getAttribute("aria-label") + " (" + data.unread + ")");
      }
    })
    .catch(function () {});
})();
