/* helpcenter's help widget, for another site's pages (README: "Start your own help center"):
     <script src="https://help.example.com/widget.js" data-lang="pl" data-context="billing" async></script>
   adds one element to the page, <helpcenter-widget>, whose shadow root holds a help button and,
   once it is pressed, the panel: a page of the help center in an iframe, so neither side's CSS
   or script reaches the other. Nothing else is added or stored on the page (no cookie, no
   storage); the one global is `helpcenter.open({query: "…"})`. The host page tells the panel
   its address and title by postMessage, to the help center's origin only. The help center puts
   its settings in place of CONFIG when it serves this file (web/help_widget.py). */
(function (config) {
  "use strict";
  var script = document.currentScript, NAME = "helpcenter-widget";
  if (!config || !script || !window.customElements || customElements.get(NAME)) return;
  var BASE = new URL(script.src, location.href).origin;
  var lang = chooseLanguage(script.getAttribute("data-lang"));
  var words = config.languages[lang];
  var context = (script.getAttribute("data-context") || "").slice(0, 300);

  /* As the site picks one: the page's choice, else the browser's languages in order (their
     primary subtag, old codes mapped), else the help center's default language. */
  function chooseLanguage(asked) {
    var wanted = [asked || ""].concat(navigator.languages || [navigator.language || ""]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).split(/[-_]/)[0].toLowerCase();
      code = config.aliases[code] || code;
      if (config.languages.hasOwnProperty(code)) return code;
    }
    return config["default"];
  }

  function panelUrl(query) {
    if (query) return BASE + words.search + "?q=" + encodeURIComponent(query);
    return BASE + words.panel + (context ? "?context=" + encodeURIComponent(context) : "");
  }

  var STYLE = [
    ":host { all: initial; }",
    ".launcher { position: fixed; bottom: 20px; right: 20px; z-index: 2147483000; display: inline-flex; align-items: center; gap: 8px;",
    "  margin: 0; padding: 12px 18px; border: 0; border-radius: 999px; background: ACCENT; color: #fff; cursor: pointer;",
    "  font: 600 16px/1.2 system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", \"Noto Sans Hebrew\", Arial, sans-serif;",
    "  box-shadow: 0 4px 14px rgb(0 0 0 / 25%); }",
    ".launcher:focus-visible { outline: 3px solid ACCENT; outline-offset: 3px; }",
    ".launcher svg { width: 20px; height: 20px; }",
    ".panel { position: fixed; bottom: 84px; right: 20px; z-index: 2147483000; width: 400px; height: 640px;",
    "  max-width: calc(100vw - 40px); max-height: calc(100vh - 104px); border-radius: 12px; overflow: hidden;",
    "  background: #fff; box-shadow: 0 8px 32px rgb(0 0 0 / 30%); }",
    ".rtl .launcher, .rtl .panel { right: auto; left: 20px; }",
    ".panel[hidden] { display: none; }",
    "iframe { display: block; width: 100%; height: 100%; border: 0; }",
    "@media (max-width: 480px) {",
    "  .panel, .rtl .panel { inset: 0; width: 100%; height: 100%; max-width: none; max-height: none; border-radius: 0; }",
    "  .open .launcher { display: none; }",
    "}"
  ].join("\n").replace(/ACCENT/g, config.accent);
  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17h.01"/></svg>';

  class HelpcenterWidget extends HTMLElement {
    connectedCallback() {
      if (this.box) return;
      var root = this.attachShadow({ mode: "open" });
      // A constructed stylesheet: the host page's CSP (style-src) has no say over it.
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      root.adoptedStyleSheets = [sheet];
      this.box = document.createElement("div");
      this.box.dir = words.dir;
      this.box.lang = lang;
      this.box.className = words.dir;
      this.button = document.createElement("button");
      this.button.type = "button";
      this.button.className = "launcher";
      this.button.setAttribute("aria-expanded", "false");
      this.button.innerHTML = ICON;
      this.button.appendChild(document.createTextNode(words.label));
      this.panel = document.createElement("div");
      this.panel.className = "panel";
      this.panel.hidden = true;
      this.box.append(this.button, this.panel);
      root.appendChild(this.box);
      var widget = this;
      this.button.addEventListener("click", function () {
        if (widget.panel.hidden) widget.open(); else widget.close();
      });
      root.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !widget.panel.hidden) widget.close();
      });
      window.addEventListener("message", function (event) { widget.heard(event); });
    }

    open(options) {
      var query = options && typeof options.query === "string" ? options.query.trim().slice(0, 200) : "";
      if (!this.frame) {
        this.frame = document.createElement("iframe");
        this.frame.title = words.title;
        this.frame.name = "helpcenter-panel-" + Math.random().toString(36).slice(2);
        // The panel may run scripts, send its forms and open the help center in a new tab;
        // it may never navigate the host page.
        this.frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
        this.frame.src = panelUrl(query);
        // A closed panel never keeps the focus: a page that loads in it late (the customer
        // pressed Escape while it loaded) may focus itself; the focus goes back to the button.
        var widget = this;
        this.frame.addEventListener("focus", function () {
          if (widget.panel.hidden) widget.button.focus();
        });
        this.panel.appendChild(this.frame);
      } else if (query) {
        this.tell({ type: "helpcenter:search", query: query });
      }
      this.panel.hidden = false;
      this.box.classList.add("open");
      this.button.setAttribute("aria-expanded", "true");
      this.frame.focus();
      this.focusNext = true;  // the panel's search box, once it says it is ready
      this.tell({ type: "helpcenter:focus" });
    }

    close() {
      this.focusNext = false;  // a panel that loads after this gets no focus
      this.panel.hidden = true;
      this.box.classList.remove("open");
      this.button.setAttribute("aria-expanded", "false");
      this.button.focus();
    }

    tell(message) {
      if (this.frame && this.frame.contentWindow) this.frame.contentWindow.postMessage(message, BASE);
    }

    /* Only the panel, from the help center's origin, is listened to. */
    heard(event) {
      if (!this.frame || event.source !== this.frame.contentWindow || event.origin !== BASE) return;
      var type = event.data && event.data.type;
      if (type === "helpcenter:ready") {
        // The address without its query string or fragment (they may hold personal data).
        this.tell({
          type: "helpcenter:context",
          page: location.origin + location.pathname,
          title: document.title.slice(0, 200),
          focus: this.focusNext && !this.panel.hidden
        });
        this.focusNext = false;
      } else if (type === "helpcenter:close") {
        this.close();
      }
    }
  }

  customElements.define(NAME, HelpcenterWidget);
  function place() {
    var element = document.createElement(NAME);
    document.body.appendChild(element);
    if (!window.helpcenter) window.helpcenter = { open: function (options) { element.open(options); } };
  }
  if (document.body) place();
  else document.addEventListener("DOMContentLoaded", place);
})(/*CONFIG*/null);
