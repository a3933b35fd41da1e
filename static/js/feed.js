/* The live account timeline. The server renders every card (templates/customers/_event.html) for this
   reader, controls included; this script only places them. Joining the account room replays the events
   after the last seen id, each with its item's card (`cards: true`). A live `feed_event` is broadcast to
   everyone on the account, so it carries no per-reader markup: it only makes us ask for the replay again
   (one socket round trip, coalesced while one is under way). Every reconnect rejoins from the last id.
   The answer also carries the account's counters (open complaints, open tasks) for the side panel. */
(function () {
  "use strict";
  var feed = document.getElementById("feed");
  var Hub = window.Hub;
  if (!feed || !Hub || !Hub.socket) return;

  var d = feed.dataset;
  var accountId = Number(d.customerId);
  var lastId = Number(d.lastId) || 0;
  var labels = JSON.parse(d.labels);
  var state = document.getElementById("live-state");
  var seen = new Set();
  feed.querySelectorAll("[data-id]").forEach(function (el) { seen.add(Number(el.dataset.id)); });
  var busy = false; // a join is under way
  var again = false; // something arrived meanwhile that the answer under way may not hold: ask once more
  var announced = 0; // the newest id a feed_event announced while a join was under way

  function setState(online, text) {
    if (!state) return;
    state.className = "live-state muted small " + (online ? "online" : "offline");
    state.textContent = text || (online ? labels.ui.live : labels.ui.offline);
  }

  function parse(html) {
    var box = document.createElement("template");
    box.innerHTML = html || ""; // rendered and escaped on the server (Jinja autoescape, hub.markdown)
    return box.content.firstElementChild;
  }

  function matchesFilter(ev) {
    if (d.kind && ev.kind !== d.kind) return false;
    if (d.person) {
      var p = Number(d.person);
      var mine = (ev.author && ev.author.id === p) || (ev.task && ev.task.assignee && ev.task.assignee.id === p);
      if (!mine) return false;
    }
    return true;
  }

  // A reply or an update: add its line and take the item's new status and controls from the fresh card,
  // leaving the rest (a reply being typed) alone.
  function updateItem(node, fresh, ev) {
    var changes = node.querySelector('[data-role="changes"]');
    var line = fresh.querySelector("#e" + ev.id);
    if (changes && line && !node.querySelector("#e" + ev.id)) changes.appendChild(line);
    var head = node.querySelector(".event-head");
    var freshHead = fresh.querySelector(".event-head");
    if (head && freshHead) head.replaceWith(freshHead);
    node.querySelectorAll(":scope > form.item-action, :scope > .request-actions > form.item-action")
      .forEach(function (f) { f.remove(); });
    fresh.querySelectorAll(":scope > form.item-action").forEach(function (f) {
      node.insertBefore(f, node.querySelector(":scope > .changes"));
    });
    var actions = node.querySelector(":scope > .request-actions");
    fresh.querySelectorAll(":scope > .request-actions > form.item-action").forEach(function (f) {
      if (actions) actions.appendChild(f);
    });
    node.classList.toggle("is-open", fresh.classList.contains("is-open"));
  }

  function apply(ev, html) {
    if (ev.account_id !== accountId || seen.has(ev.id)) return;
    seen.add(ev.id);
    if (ev.id > lastId) lastId = ev.id;
    if (ev.parent_id) {
      if (ev.action === "acknowledged" && Hub.refreshAlerts) Hub.refreshAlerts(); // the complaint bar's count
      var node = document.getElementById("e" + ev.parent_id);
      var fresh = parse(html);
      if (node && fresh) updateItem(node, fresh, ev); // else: not on this page (older, or filtered out)
      return;
    }
    var card = parse(html);
    if (!card || !matchesFilter(ev)) return;
    card.classList.add("fresh");
    var empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
    feed.insertBefore(card, feed.firstChild);
  }

  var room = Hub.room("join", function () {
    busy = true;
    again = false;
    announced = 0;
    return { customer_id: accountId, after: lastId, cards: true };
  }, function (ack) {
    busy = false;
    if (!ack || ack.error) {
      if (ack && ack.error && ack.error.code === "invalid" && lastId !== 0) {
        lastId = 0; // our position is unknown to the server (e.g. data reset): replay all, seen ids are skipped
        room.again();
        return;
      }
      setState(false, ack && ack.error ? ack.error.message : "");
      return;
    }
    var cards = ack.cards || {};
    Object.keys(ack.counts || {}).forEach(function (name) {
      document.querySelectorAll('[data-count="' + name + '"]').forEach(function (n) { n.textContent = String(ack.counts[name]); });
    });
    ack.events.slice().sort(function (a, b) { return a.id - b.id; })
      .forEach(function (ev) { apply(ev, cards[String(ev.id)]); });
    setState(true);
    // An event announced during the join is usually in its answer already: ask again only when it is not.
    if (ack.more || again || announced > lastId) room.again();
  });

  Hub.socket.on("feed_event", function (ev) {
    if (ev.account_id !== accountId || seen.has(ev.id)) return;
    if (busy) announced = Math.max(announced, ev.id); // the answer under way may predate it
    else room.again();
  });
  Hub.socket.on("disconnect", function () { busy = false; setState(false); });

  // Reply boxes answer through the API, so a refused reply keeps its text and shows the message under it;
  // a sent one arrives as a feed event like everyone else's.
  feed.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-api-reply]");
    if (!form || !window.fetch) return;
    e.preventDefault();
    var input = form.querySelector("[name=body]");
    var button = form.querySelector("button[type=submit]");
    var fallback = form.querySelector("[data-reply-error]");
    if (!fallback) {
      fallback = document.createElement("p");
      fallback.className = "error small";
      fallback.dataset.replyError = "";
      fallback.hidden = true;
      form.appendChild(fallback);
    }
    button.disabled = true;
    fetch(form.dataset.apiReply, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": form.elements.csrf_token.value },
      body: JSON.stringify({ body: input.value })
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; }, function () { return { ok: r.ok, data: null }; });
    }).then(function (res) {
      if (res.ok) {
        input.value = "";
        Hub.clearFieldErrors(form);
        fallback.hidden = true;
        if (busy) again = true; else room.again();
      } else if (!Hub.showFieldErrors(form, res.data, fallback)) {
        fallback.textContent = form.dataset.tError;
        fallback.hidden = false;
      }
    }, function () {
      fallback.textContent = form.dataset.tError;
      fallback.hidden = false;
    }).then(function () { button.disabled = false; });
  });
})();
