// Behaviour of our pages, kept out of the HTML so the Content-Security-Policy can forbid inline
// scripts: a button marked data-print prints the page.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
