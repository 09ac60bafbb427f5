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
