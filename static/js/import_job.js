// The page of a background job (workbook.views.job_detail, export_job_detail): while a worker
// checks or writes the file, ask how far it is once a second and move the bar; when it is done,
// reload the page, which then shows the preview, the problems, what was written or the file.
(function () {
  var card = document.getElementById("job");
  if (!card || !card.dataset.progressUrl) {
    return;
  }
  var url = card.dataset.progressUrl;
  var bar = document.getElementById("job-progress");
  var waiting = document.getElementById("job-waiting");
  var trouble = document.getElementById("job-poll-error");
  var silence = document.getElementById("job-silence");
  var format = new Intl.NumberFormat(document.documentElement.lang || "vi");

  function say(id, text) {
    var element = document.getElementById(id);
    if (element) {
      element.textContent = text;
    }
  }

  function show(figures) {
    bar.max = Math.max(figures.rows_total, 1);
    bar.value = figures.done;
    bar.setAttribute("aria-valuenow", String(figures.percent));
    say("job-status", figures.status_label);
    say("job-percent", String(figures.percent));
    if (figures.rows_checked !== undefined) {
      say("rows-checked", format.format(figures.rows_checked));
    }
    say("rows-written", format.format(figures.rows_written));
    document.querySelectorAll(".rows-total").forEach(function (total) {
      total.textContent = format.format(figures.rows_total);
    });
    if (waiting) {
      waiting.hidden = figures.started;
    }
    if (silence) {
      // The worker has not been heard of for long (workbook.jobs.silence): say so, keep asking.
      silence.textContent = figures.silence || "";
      silence.hidden = !figures.silence;
    }
  }

  function ask() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (figures) {
        if (trouble) {
          trouble.hidden = true;
        }
        show(figures);
        if (figures.running) {
          window.setTimeout(ask, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // A busy server (a database locked by the import itself) answers later: ask again.
        if (trouble) {
          trouble.hidden = false;
        }
        window.setTimeout(ask, 2000);
      });
  }

  window.setTimeout(ask, 500);
})();
