// Suggestions under the navigation search box: titles, tags, people and accounts (also by pinyin).
(function () {
  "use strict";

  function setup(form) {
    var input = form.querySelector("input[name=q]");
    var endpoint = form.getAttribute("data-suggest");
    if (!input || !endpoint) return;
    var box = document.createElement("ul");
    box.className = "suggest-box";
    box.id = "suggest-box";
    box.setAttribute("role", "listbox");
    box.hidden = true;
    form.appendChild(box);
    input.setAttribute("aria-controls", box.id);
    input.setAttribute("aria-autocomplete", "list");

    var timer = null, seq = 0, active = -1, items = [];

    function close() {
      box.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.classList.toggle("active", i === index); li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
    }

    function render(suggestions) {
      box.textContent = "";
      items = suggestions.map(function (s, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = s.url;
        var label = document.createElement("span");
        label.textContent = s.label;
        var kind = document.createElement("span");
        kind.className = "suggest-kind";
        kind.textContent = s.detail || s.kind;
        a.appendChild(label);
        a.appendChild(kind);
        li.appendChild(a);
        li.addEventListener("mouseenter", function () { highlight(i); });
        box.appendChild(li);
        return li;
      });
      if (items.length) {
        box.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch(endpoint + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (mine === seq) render(data.suggestions || []); })
        .catch(function () { if (mine === seq) close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (box.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(items.length - 1, active + 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(-1, active - 1)); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].querySelector("a").href; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // The results page's filters start folded (a phone shows the first result first); wide screens
  // have room beside the results, so there they stay open, also after the window is resized.
  function unfoldOnWideScreens(details) {
    var wide = window.matchMedia("(min-width: 800px)");
    function apply() { details.open = wide.matches; }
    apply();
    if (wide.addEventListener) wide.addEventListener("change", apply);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.nav-search[data-suggest]").forEach(setup);
    document.querySelectorAll("details[data-facets]").forEach(unfoldOnWideScreens);
  });
})();
