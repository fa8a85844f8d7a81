// helpcenter: progressive enhancement only; every page works without this file.
// Instant search suggestions: an ARIA combobox over the search box, fed by /api/search.
(function () {
  "use strict";
  var DELAY = 180;

  function setUp(input, index) {
    var url = input.getAttribute("data-suggest-url");
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
        a.href = result.url;
        a.textContent = result.title;
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
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].querySelector("a").href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
})();
