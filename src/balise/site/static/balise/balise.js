// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  // A page sent in answer to a form (the next question, after an answer) names its own address:
  // put it in the address bar, so that a reload or Back asks for that page instead of posting
  // the form again. Without this script the browser offers to resubmit, which the server
  // refuses (the answer is recorded once) with the page of the current question.
  var pageUrl = document.body.getAttribute("data-page-url");
  if (pageUrl && window.history.replaceState && window.location.pathname !== pageUrl) {
    window.history.replaceState(null, "", pageUrl);
  }
  // Timed challenges: a visible countdown. The server enforces the limit either way.
  var timer = document.querySelector(".timer[data-remaining]");
  if (timer) {
    var value = timer.querySelector(".timer-value");
    var remaining = parseInt(timer.getAttribute("data-remaining"), 10);
    var announce = document.getElementById("timer-announce");
    var tick = window.setInterval(function () {
      remaining = Math.max(0, remaining - 1);
      value.textContent = String(remaining);
      if (announce && (remaining === 30 || remaining === 10)) {
        announce.textContent = announce.getAttribute("data-message").replace("{seconds}", String(remaining));
      }
      if (remaining === 0) {
        window.clearInterval(tick);
        var timeUp = document.getElementById("time-up");
        if (timeUp) { timeUp.hidden = false; }
      }
    }, 1000);
  }
  var form = document.querySelector("form.challenge-form");
  if (form) {
    // Prevent a double click from posting twice (the server records one answer anyway).
    form.addEventListener("submit", function (event) {
      // Submitting navigates away, which blurs the window: that is not leaving the question.
      form.dataset.submitting = "1";
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
      window.setTimeout(function () { form.dataset.sent = "0"; }, 5000);
    });
    // A form that stays on the question (a certification's "this question does not work") is no
    // departure either.
    Array.prototype.forEach.call(document.querySelectorAll("form[data-stays-on-question]"), function (other) {
      other.addEventListener("submit", function () { form.dataset.submitting = "1"; });
    });
    // Focused challenges: leaving the page is recorded at once, and again with the answer.
    if (form.dataset.focused === "1") {
      var reported = false;
      var report = function () {
        if (reported || form.dataset.submitting === "1") { return; }
        reported = true;
        document.getElementById("focus-lost").value = "1";
        var notice = document.getElementById("focus-left");
        if (notice) { notice.hidden = false; }
        var data = new FormData();
        data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
        data.append("challenge_id", form.querySelector("[name=challenge_id]").value);
        // keepalive: the report still reaches the server when leaving is a click on a link.
        fetch(form.dataset.focusUrl, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
      };
      window.addEventListener("blur", report);
      // Leaving by a link or the address bar: the page is hidden, then put away.
      window.addEventListener("pagehide", report);
      document.addEventListener("visibilitychange", function () { if (document.hidden) { report(); } });
    }
  }
  // A test page restored by Back from the browser's memory shows the past: ask for the present
  // (what was recorded meanwhile, the question actually current).
  if (form) {
    window.addEventListener("pageshow", function (event) { if (event.persisted) { window.location.reload(); } });
  }
  // A page that follows something happening elsewhere (a learner import, candidates arriving in
  // an exam room): without this script it offers a link or a button to refresh; with it, each
  // region marked data-refresh-url follows by itself (every data-refresh-every ms, 2 s by default),
  // and stops when the fresh region no longer carries the attribute (the import's result).
  Array.prototype.forEach.call(document.querySelectorAll("[data-refresh-url]"), function (region) {
    if (!window.fetch || !window.DOMParser || !region.id) { return; }
    var every = parseInt(region.getAttribute("data-refresh-every"), 10) || 2000;
    var follow = function () {
      fetch(region.getAttribute("data-refresh-url"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (!fresh) { return; }
          // data-version (a digest of what the region shows) spares replacing an unchanged region,
          // whose forms carry a fresh CSRF mask at each load; focus stays on the same control.
          var version = fresh.getAttribute("data-version");
          if (!version || version !== region.getAttribute("data-version")) {
            var focused = region.contains(document.activeElement) ? document.activeElement.id : "";
            region.innerHTML = fresh.innerHTML;
            if (version) { region.setAttribute("data-version", version); }
            var again = focused && document.getElementById(focused);
            if (again) { again.focus(); }
          }
          if (fresh.hasAttribute("data-refresh-url")) {
            window.setTimeout(follow, every);
          } else {
            region.removeAttribute("data-refresh-url");
            var result = document.getElementById("import-result") || region.querySelector("[data-focus-when-done]");
            if (result) { result.focus(); }
          }
        })
        .catch(function () { window.setTimeout(follow, Math.max(every, 5000)); });
    };
    window.setTimeout(follow, every);
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
