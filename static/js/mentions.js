/* @mention autocomplete for any text box: comments (social.js) and the account feed (feed.js).
   A box marked `data-mention-input`, with a `[data-mention-menu]` list beside it and a `data-suggest-url`
   on itself or an ancestor, is wired on first focus; Hub.mentions.attach(area, menu, url) wires one at once.
   Suggestions come from GET /api/v1/people/suggest; choosing one writes "@Name " at the caret. */
(function () {
  "use strict";
  window.Hub = window.Hub || {};
  if (window.Hub.mentions) return;

  // An @ that starts a mention (not inside an e-mail address), then what was typed after it.
  var BEFORE_CARET = /(?:^|[^A-Za-z0-9_.+\-])@([^\s@]{0,20})$/;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function attach(area, menu, suggestUrl) {
    if (!area || !menu || !suggestUrl || area.dataset.mentionBound) return;
    area.dataset.mentionBound = "1";
    var timer = null;
    var active = -1;
    var token = null;

    function close() { menu.hidden = true; menu.textContent = ""; active = -1; token = null; }

    function choose(name) {
      var caret = area.selectionStart;
      var before = area.value.slice(0, caret - token.length);
      area.value = before + name + " " + area.value.slice(caret);
      var at = before.length + name.length + 1;
      area.setSelectionRange(at, at);
      close();
      area.focus();
    }

    function highlight(index) {
      var items = menu.querySelectorAll("li");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (li, i) { li.classList.toggle("active", i === active); li.setAttribute("aria-selected", i === active); });
    }

    function lookup() {
      var match = BEFORE_CARET.exec(area.value.slice(0, area.selectionStart));
      if (!match) { close(); return; }
      var query = match[1];
      fetch(suggestUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { people: [] }; })
        .then(function (data) {
          var again = BEFORE_CARET.exec(area.value.slice(0, area.selectionStart));
          if (!again || again[1] !== query) return; // the user typed on; a newer lookup follows
          menu.textContent = "";
          token = query;
          data.people.forEach(function (p) {
            var li = el("li", "mention-item");
            li.setAttribute("role", "option");
            li.dataset.name = p.name;
            li.append(el("strong", "", p.name));
            if (p.title) li.append(el("span", "muted small", " " + p.title));
            li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(p.name); });
            menu.append(li);
          });
          menu.hidden = !data.people.length;
          if (data.people.length) highlight(0);
        });
    }

    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 120); });
    area.addEventListener("blur", function () { setTimeout(close, 150); });
    area.addEventListener("keydown", function (event) {
      if (menu.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" || event.key === "Tab") {
        var item = menu.querySelectorAll("li")[active];
        if (item) { event.preventDefault(); choose(item.dataset.name); }
      } else if (event.key === "Escape") { close(); }
    });
  }

  // Boxes that arrive later (a live feed card) are wired when first focused.
  document.addEventListener("focusin", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("[data-mention-input]") || area.dataset.mentionBound) return;
    var holder = area.closest("[data-suggest-url]");
    var menu = area.parentNode.querySelector("[data-mention-menu]");
    if (holder && menu) attach(area, menu, holder.dataset.suggestUrl);
  });

  window.Hub.mentions = { attach: attach };
})();
