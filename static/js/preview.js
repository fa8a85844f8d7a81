// helpcenter: the writer's preview only (`helpcenter serve` adds this file to its pages; a
// production page never has it). Reloads the open page when the articles change, keeping the
// scroll position: the server answers a long poll (/_preview/changes) once the articles'
// generation differs from the one this page was made from.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var url = script.getAttribute("data-changes-url");
  var generation = script.getAttribute("data-generation");
  var KEY = "helpcenter-preview-scroll";
  var here = location.pathname + location.search;

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (error) { return; }
    if (saved && saved.page === here) window.scrollTo(saved.x, saved.y);
  }

  function reload() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ page: here, x: window.scrollX, y: window.scrollY }));
    } catch (error) { /* private mode: the browser's own restoration remains */ }
    location.reload();
  }

  function waitForChange(retryDelay) {
    fetch(url + "?since=" + encodeURIComponent(generation), { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (String(answer.generation) !== generation) reload();
        else waitForChange(0);
      })
      .catch(function () {
        // The server was stopped or restarted: ask again, less and less often.
        var delay = Math.min(5000, retryDelay ? retryDelay * 2 : 500);
        setTimeout(function () { waitForChange(delay); }, delay);
      });
  }

  if (document.readyState === "complete") restoreScroll();
  else window.addEventListener("load", restoreScroll);
  waitForChange(0);
})();
