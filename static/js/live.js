/* Live for every signed-in page: the page's only Socket.IO connection, the bell's unread badge, toasts,
   the count on the complaint bar. Other scripts use it through window.Hub:
     Hub.socket                      the connection (never open another one)
     Hub.room(event, payload, onAck) join a room now and again after every reconnect; `payload()` is asked
                                     each time, so a replay can start after the last seen id. Returns
                                     { again() } to ask once more (e.g. for a fresh replay).
     Hub.url(template, id)           fill the id into a URL the template built with url_for(..., id=0).
     Hub.showFieldErrors(form, body) put an API refusal's `fields` under their inputs (clearFieldErrors undoes). */
(function () {
  "use strict";
  window.Hub = window.Hub || {};
  window.Hub.url = function (template, id) {
    return template.replace(/\/0(?=[/?#]|$)/, "/" + encodeURIComponent(id));
  };

  // Field-level refusals of the JSON API ({"error": {...}, "fields": {name: message}}): each message goes
  // under the input of that name, what was typed stays. A message no input claims goes to `fallback`
  // (the form's own error line), else under the form's last input. Returns true when something was shown.
  window.Hub.clearFieldErrors = function (form) {
    form.querySelectorAll("[data-js-field-error]").forEach(function (p) { p.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      var wrap = input.closest(".field");
      if (wrap) wrap.classList.remove("has-error");
    });
  };
  var errorSerial = 0;
  window.Hub.showFieldErrors = function (form, body, fallback) {
    window.Hub.clearFieldErrors(form);
    var fields = (body && body.fields) || {};
    var leftover = [];
    Object.keys(fields).forEach(function (name) {
      var input = name ? form.querySelector('[name="' + name.replace(/"/g, "") + '"]') : null;
      if (!input) { leftover.push(fields[name]); return; }
      var note = document.createElement("p");
      note.className = "error field-error";
      note.id = "js-err-" + (++errorSerial);
      note.dataset.errorFor = name;
      note.dataset.jsFieldError = "";
      note.textContent = fields[name];
      var anchor = input.closest(".mention-wrap") || input;
      anchor.insertAdjacentElement("afterend", note);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      var wrap = input.closest(".field");
      if (wrap) wrap.classList.add("has-error");
    });
    if (!Object.keys(fields).length && body && body.error && body.error.message) leftover.push(body.error.message);
    if (fallback) {
      fallback.textContent = leftover.join(" ");
      fallback.hidden = !leftover.length;
    }
    return Object.keys(fields).length > 0 || leftover.length > 0;
  };
  var script = document.getElementById("live-script");
  if (!script || typeof window.io !== "function") return;

  var socket = window.io({ withCredentials: true });
  var rooms = [];

  function emitJoin(room) {
    socket.emit(room.event, room.payload(), function (ack) { if (room.onAck) room.onAck(ack); });
  }

  window.Hub.socket = socket;
  window.Hub.room = function (event, payload, onAck) {
    var room = { event: event, payload: payload, onAck: onAck };
    rooms.push(room);
    if (socket.connected) emitJoin(room);
    return { again: function () { if (socket.connected) emitJoin(room); } };
  };
  // Registered first: every reconnect rejoins each room with a fresh payload.
  socket.on("connect", function () { rooms.forEach(emitJoin); });

  var alertsUrl = script.dataset.alertsUrl;
  var badge = document.getElementById("bell-count");

  function setCount(n) {
    if (!badge || typeof n !== "number") return;
    var before = Number(badge.dataset.unread) || 0;
    badge.dataset.unread = String(n);
    badge.textContent = n > 0 ? String(n) : "";
    if (n > before) {
      badge.classList.remove("bump");
      void badge.offsetWidth; // restart the animation
      badge.classList.add("bump");
    }
  }

  function toasts() {
    var box = document.getElementById("toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "toasts";
      box.className = "toasts";
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    return box;
  }

  function toast(note) {
    var item = document.createElement("div");
    item.className = "toast";
    var link = document.createElement("a");
    link.href = note.url && note.url.charAt(0) === "/" ? note.url : script.dataset.notificationsPage;
    link.textContent = note.text;
    item.appendChild(link);
    toasts().appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  // The one complaint bar (rendered by base.html): a count and a link to the list, never a banner per complaint.
  var bar = document.getElementById("complaint-bar");

  function setAlertCount(n) {
    if (!bar || typeof n !== "number") return;
    bar.querySelector("[data-complaint-count]").textContent = String(n);
    bar.querySelector("[data-complaint-words]").textContent = n === 1 ? bar.dataset.one : bar.dataset.other;
    bar.hidden = n === 0;
  }

  function loadAlerts() {
    if (!alertsUrl || !bar) return;
    fetch(alertsUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) setAlertCount(data.count); });
  }
  window.Hub.refreshAlerts = loadAlerts; // feed.js: a complaint was acknowledged or answered on this page

  function refreshCount() {
    fetch(script.dataset.unreadUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) setCount(data.unread); });
  }

  if (badge) setCount(Number(badge.dataset.unread) || 0);

  socket.on("notification", function (note) {
    setCount(note.unread);
    toast(note);
    if (note.kind === "complaint") loadAlerts();
  });
  var connectedOnce = false;
  socket.on("connect", function () {
    // After a reconnect, catch up with whatever arrived while the line was down.
    if (connectedOnce) { refreshCount(); loadAlerts(); }
    connectedOnce = true;
  });
})();
