// helpcenter: progressive enhancement only; every page works without this file.
// Instant search suggestions: an ARIA combobox over the search box, fed by /api/search.
(function () {
  "use strict";
  var DELAY = 180;

  function setUp(input, index) {
    var url = input.getAttribute("data-suggest-url");
    var articleBase = input.getAttribute("data-suggest-article-base");
    if (!url || !window.fetch) return;
    var list = document.createElement("ul");
    var timer = null, active = -1, items = [], latest = 0;
    list.id = "suggestions-" + index;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(next) {
      if (!items.length) return;
      active = (next + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function show(results) {
      list.textContent = "";
      items = results.map(function (result, i) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        // The widget's panel opens an article in itself: its own base, then the article's id.
        a.href = articleBase ? articleBase + result.id : result.url;
        a.textContent = result.title;
        a.dir = "auto";  // a title in another direction than the page keeps its punctuation
        a.tabIndex = -1;
        li.appendChild(a);
        list.appendChild(li);
        return li;
      });
      active = -1;
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function fetchSuggestions() {
      var text = input.value.trim(), ticket = ++latest;
      if (text.length < 2) { close(); return; }
      var query = "?lang=" + encodeURIComponent(input.getAttribute("data-lang")) + "&q=" + encodeURIComponent(text);
      fetch(url + query, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) show(data.results || []); })
        .catch(close);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") {
        // Close the list only: a type=search box would also clear what was typed. A second
        // Escape, with the list closed, still clears it the native way.
        event.preventDefault(); close();
      }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        items[active].querySelector("a").click();  // as a click: the widget's panel follows links its way
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
})();

// "Did this answer your question?": post the plain form inline and show the next step in place.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var box = form.closest && form.closest("[data-feedback]");
    if (!box) return;
    // "Ask a person" sends the reasons and goes on to the contact form: the plain post does both.
    if (event.submitter && event.submitter.hasAttribute("data-feedback-leaves")) return;
    event.preventDefault();
    box.setAttribute("data-feedback-busy", "");  // the beacon's answer must not replace it now
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        box.outerHTML = html;
        var title = document.getElementById("feedback-title");
        if (title) { title.setAttribute("tabindex", "-1"); title.focus(); }
      })
      .catch(function () { form.submit(); });  // fall back to the plain form post
  });
})();

// Contact form: while the customer types, suggest up to five articles that may answer it.
(function () {
  "use strict";
  var form = document.querySelector("[data-contact-form]");
  if (!form || !window.fetch) return;
  var message = form.querySelector("textarea[name=message]");
  var box = form.querySelector("[data-contact-suggestions]");
  var list = box.querySelector("ul");
  var timer = null, latest = 0;
  function show(results) {
    list.textContent = "";
    results.forEach(function (hit) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = hit.url; a.textContent = hit.title; a.dir = "auto"; a.target = "_blank"; a.rel = "noopener";
      li.appendChild(a); list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }
  message.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = message.value.trim().split(/\s+/).slice(-25).join(" ");
      if (text.length < 4) { show([]); return; }
      var ticket = ++latest;
      var url = form.getAttribute("data-suggest-url") + "?limit=5&lang=" + encodeURIComponent(form.getAttribute("data-lang")) + "&q=" + encodeURIComponent(text);
      fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        if (ticket === latest) show(data.results || []);
      }).catch(function () {});
    }, 400);
  });
})();

// An article's anchors are prefixed (no article id may be one of the page's): a link to a section
// made before that, `…#refunds` in an old e-mail or bookmark, still lands on `#user-content-refunds`.
(function () {
  "use strict";
  var PREFIX = "user-content-";
  function follow() {
    var name = window.location.hash.slice(1);
    if (!name || name.indexOf(PREFIX) === 0) return;
    try { name = decodeURIComponent(name); } catch (error) { return; }
    if (document.getElementById(name) || !document.getElementById(PREFIX + name)) return;
    window.location.replace("#" + PREFIX + window.location.hash.slice(1));
  }
  follow();
  window.addEventListener("hashchange", follow);
})();

// The page-view beacon: the page came from a cache and is the same for everyone, so what is per
// visitor happens here (web/beacon.py): the view is counted (once per page load, by its nonce),
// the visitor and language cookies are set, a results page's search is logged (also once per
// load) and its result links get this visitor's search key, and a returning voter's feedback box
// moves on.
(function () {
  "use strict";
  var body = document.body, url = body.getAttribute("data-beacon");
  if (!url || !window.URLSearchParams || !window.crypto || !window.crypto.getRandomValues) return;
  var bytes = window.crypto.getRandomValues(new Uint8Array(16)), nonce = "";
  bytes.forEach(function (b) { nonce += (b < 16 ? "0" : "") + b.toString(16); });
  var data = new URLSearchParams();
  data.set("lang", body.getAttribute("data-beacon-lang"));
  data.set("nonce", nonce);
  if (body.getAttribute("data-beacon-article")) data.set("article", body.getAttribute("data-beacon-article"));
  if (body.getAttribute("data-beacon-query")) data.set("q", body.getAttribute("data-beacon-query"));
  var search = body.getAttribute("data-beacon-search");
  if (search) {
    data.set("search", search);
    // A later page of results names its search's key (from the link below), and is not a new search.
    var earlier = new URLSearchParams(window.location.search).get("e");
    if (earlier) data.set("e", earlier);
  }
  function clickLinks(answer) {
    // The page is shared, so its links name no search; this visitor's key, from the beacon, does.
    var key = answer && answer.search, click = body.getAttribute("data-search-click");
    if (!key || !click) return;
    document.querySelectorAll("a[data-result-article]").forEach(function (a) {
      var params = new URLSearchParams({ e: key, r: a.getAttribute("data-result-rank"), a: a.getAttribute("data-result-article") });
      a.href = click + (click.indexOf("?") < 0 ? "?" : "&") + params.toString();
    });
    document.querySelectorAll(".pagination a[rel=prev], .pagination a[rel=next]").forEach(function (a) {
      var target = new URL(a.href, window.location.href);
      target.searchParams.set("e", key);
      a.href = target.pathname + target.search;
    });
  }
  function show(answer) {
    clickLinks(answer);
    var box = document.querySelector("[data-feedback]");
    var step = answer && answer.feedback && answer.feedback.step;
    if (!box || !step || step === "ask" || box.getAttribute("data-feedback") !== "ask" || box.hasAttribute("data-feedback-busy")) return;
    box.outerHTML = answer.feedback.html;
  }
  function send(event) {
    // What the page's embedding adds (the widget's panel: the host page it is framed by).
    var extra = (event && event.detail) || {};
    Object.keys(extra).forEach(function (name) { data.set(name, extra[name]); });
    if (window.fetch) {
      fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(show)
        .catch(function () {});
    } else if (navigator.sendBeacon) {
      navigator.sendBeacon(url, data);
    }
  }
  var after = body.getAttribute("data-beacon-after");
  if (after) document.addEventListener(after, send, { once: true });
  else send();
})();
