// The admin's export page (templates/admin/import_export/export.html): "select all" ticks or
// clears every column of the chosen resource. django-import-export wires it with an inline
// onchange attribute, which the Content-Security-Policy refuses.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", function () {
      document
        .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
        .forEach(function (checkbox) {
          checkbox.checked = toggle.checked;
        });
    });
  });
});
