// helpcenter: the help widget's panel (web/panel.py), a page of ours framed by another site's
// page through static/widget.js. It learns the host page (address and title) by postMessage,
// only from a site of WIDGET_ORIGINS, and hands it to the page's beacon and posts (the reports'
// "widget" source) and to the contact form; it keeps the customer in the panel without adding
// to the host page's history, with a "Back" of its own; "Close" and Escape close the panel.
(function () {
  "use strict";
  var body = document.body;
  var allowed = (body.getAttribute("data-widget-origins") || "").split(" ").filter(Boolean);
  var home = body.getAttribute("data-panel-home") || "/";
  var prefix = home.replace(/[^/]+\/$/, "");  // the panel's own pages: /widget/…
  var framed = window.parent !== window;
  var FIELD = "widget_page";  // web/panel.py: WIDGET_PAGE_FIELD
  var host = null, parentOrigin = null, announced = false;
  var back = document.querySelector("[data-panel-back]");
  var closer = document.querySelector("[data-panel-close]");

  // What this panel went through, for "Back": kept per panel (the iframe's name) for the visit.
  var KEY = "helpcenter-panel:" + window.name, memory = { stack: [], moved: false };
  try { memory = JSON.parse(window.sessionStorage.getItem(KEY)) || memory; } catch (error) { /* no storage: no "Back" */ }
  function remember() {
    memory.stack = memory.stack.slice(-20);
    try { window.sessionStorage.setItem(KEY, JSON.stringify(memory)); } catch (error) { /* as above */ }
  }

  // The help center's cookies (the contact form's token, the visitor's one vote) reach a frame
  // only when the host page is of the same site (help.example.com in app.example.com); a
  // browser keeps none in a frame on another site, and the form could never be sent there.
  var cookiesKept = (function () {
    try {
      document.cookie = "hc_probe=1; path=/; SameSite=Lax";
      var kept = document.cookie.indexOf("hc_probe=1") >= 0;
      document.cookie = "hc_probe=; path=/; max-age=0; SameSite=Lax";
      return kept;
    } catch (error) { return false; }
  })();
  function contactForm(url) { return /\/contact$/.test(url.pathname); }

  function inPanel(url) {
    return url.origin === location.origin &&
      (url.pathname.indexOf(prefix) === 0 || url.searchParams.get("in") === "widget");
  }
  // In place: a frame's own navigations would fill the host page's Back button.
  function go(href, fromBack) {
    if (!fromBack) memory.stack.push(location.href);
    memory.moved = true;
    remember();
    location.replace(href);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var url = new URL(link.href, location.href);
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;  // a section here
    event.preventDefault();
    if (!cookiesKept && contactForm(url)) url.searchParams.delete("in");  // the site's, in a tab
    // Anything else (the site's own pages, other sites) cannot be framed here: a new tab.
    if (inPanel(url) && link.target !== "_blank") go(url.href);
    else window.open(url.href, "_blank", "noopener");
  });
  // A search (a form that reads): in place too. Posts stay plain posts (the vote, the contact form).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "get") return;
    event.preventDefault();
    var url = new URL(form.action, location.href);
    new FormData(form).forEach(function (value, name) { url.searchParams.set(name, value); });
    go(url.href);
  });
  // Every post names the host page: the vote and the contact form count it as the widget's.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!host || form.method.toLowerCase() !== "post") return;
    var field = form.querySelector("input[name=" + FIELD + "]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = FIELD;
      form.appendChild(field);
    }
    field.value = host.page;
  }, true);  // before site.js reads the form

  if (back && memory.stack.length) {
    back.hidden = false;
    back.addEventListener("click", function () { go(memory.stack.pop(), true); });
  }
  // The host hides a closed panel (its frame has no size then): a page that loads in it after
  // the customer closed it (Escape while a search loaded) must not take the focus from the
  // host's page.
  function shown() { return window.innerWidth > 0 && window.innerHeight > 0; }
  if (memory.moved) {  // arrived by a step in the panel: start reading at the page's heading
    memory.moved = false;
    remember();
    var heading = document.querySelector("main h1:not(.visually-hidden)") || document.getElementById("main");
    if (heading && shown()) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
  }

  // Once the customer closed the panel, a late answer of the host (its context, asking for the
  // focus the panel had when opened) must not pull the focus into the hidden frame.
  var closed = false;
  function close() {
    closed = true;
    if (parentOrigin) window.parent.postMessage({ type: "helpcenter:close" }, parentOrigin);
  }
  if (closer) closer.addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    // Escape closes the panel, unless it closes something inside it first (the suggestions).
    if (event.key === "Escape" && !event.defaultPrevented) close();
  });

  function focusStart() {  // the panel was opened: where to type, else the page
    var start = document.querySelector("main input[type=search]") || document.getElementById("main");
    if (start && shown()) start.focus({ preventScroll: true });
  }

  // The beacon waits for this (site.js, data-beacon-after): with the host page, or without.
  function announce() {
    if (announced) return;
    announced = true;
    var detail = {};
    if (host) detail[FIELD] = host.page;
    document.dispatchEvent(new CustomEvent("helpcenter:context", { detail: detail }));
  }

  // The host page as the panel keeps it: a page of the site that told it (its origin checked
  // against WIDGET_ORIGINS), without query string or fragment, and a one-line title.
  function hostPage(data, origin) {
    var url;
    try { url = new URL(String(data.page)); } catch (error) { return null; }
    if (url.origin !== origin) return null;
    var title = String(data.title || "").replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim();
    return { page: (url.origin + url.pathname).slice(0, 1000), title: title.slice(0, 150) };
  }

  // The contact form carries the host page: shown above the fields, and in "about" (sent along).
  function carryToContactForm() {
    var form = document.querySelector("[data-contact-form]");
    if (!form || !host) return;
    var shown = host.title ? host.title + " (" + host.page + ")" : host.page;
    var summary = form.querySelector("[data-widget-page-summary]");
    if (summary) {
      summary.querySelector("dd").textContent = host.title || host.page;
      summary.hidden = false;
    }
    var about = form.querySelector("input[name=about]");
    if (about && about.value.indexOf(host.page) < 0) {  // a form sent back with errors has it
      about.value = (about.value ? shown + " — " + about.value : shown).slice(0, 300);
    }
  }

  window.addEventListener("message", function (event) {
    if (!framed || event.source !== window.parent || allowed.indexOf(event.origin) < 0) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "helpcenter:context") {
      parentOrigin = event.origin;
      host = hostPage(data, event.origin);
      if (closer) closer.hidden = false;
      announce();
      carryToContactForm();
      if (data.focus && !closed) focusStart();
    } else if (data.type === "helpcenter:search" && typeof data.query === "string") {
      var search = new URL(body.getAttribute("data-panel-search") || home, location.href);
      search.searchParams.set("q", data.query.slice(0, 200));
      go(search.href);
    } else if (data.type === "helpcenter:focus") {  // opened (again)
      closed = false;
      focusStart();
    }
  });
  if (framed) {
    window.parent.postMessage({ type: "helpcenter:ready" }, "*");  // says nothing but "here"
    setTimeout(announce, 3000);  // no answer: the beacon goes without a host page
  } else {
    announce();  // opened on its own, not in a frame
  }
})();
