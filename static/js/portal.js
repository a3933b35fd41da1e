/* The portal, live: the conversation (room portal:<account id>), requests and announcements as they change,
   and the end of access (a share revoked or expired, a user disabled) closing what is open.
   Used by the customer's pages and by the portal panel on the staff's account page, on live.js's connection. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function parse(json) {
    try { return JSON.parse(json || "{}"); } catch (err) { return {}; }
  }

  function when(iso) {
    return iso ? String(iso).replace("T", " ").slice(0, 16) : "";
  }

  // --- the conversation ---------------------------------------------------------------------
  function setupChat(chat, socket) {
    var labels = parse(chat.dataset.labels);
    var me = Number(chat.dataset.me);
    var room = Number(chat.dataset.room);
    var lastId = Number(chat.dataset.lastId) || 0;
    var state = chat.closest("section").querySelector("[data-live-state]");
    var form = chat.closest("section").querySelector("[data-chat-form]");
    var errorBox = chat.closest("section").querySelector("[data-chat-error]");

    function scrollDown() { chat.scrollTop = chat.scrollHeight; }

    function add(m) {
      if (!m || m.account_id !== room || chat.querySelector('[data-message-id="' + m.id + '"]')) return;
      var mine = m.author && m.author.id === me;
      var li = el("li", "chat-line" + (mine ? " mine" : "") + (m.from_customer ? " from-customer" : " from-team"));
      li.dataset.messageId = m.id;
      li.append(el("span", "chat-who small", m.author ? m.author.name : ""), el("span", "chat-text", m.body));
      li.title = when(m.created_at);
      chat.appendChild(li);
      lastId = Math.max(lastId, m.id);
      scrollDown();
    }

    function setState(cls, text) {
      if (!state) return;
      state.className = "live-dot small " + cls;
      state.textContent = text || "";
    }

    // Joined now and after every reconnect, each time after the last message seen (live.js).
    window.Hub.room("join", function () { return { portal_id: room, after: lastId }; }, function (ack) {
      if (ack && ack.ok) {
        (ack.messages || []).forEach(add);
        setState("online", labels.live);
      } else {
        setState("offline", labels.closed);
      }
    });
    socket.on("portal_message", add);
    socket.on("disconnect", function (reason) {
      setState("offline", reason === "io server disconnect" ? labels.closed : labels.offline);
    });
    scrollDown();

    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var box = form.querySelector("textarea");
        var body = box.value.trim();
        if (!body) return;
        var button = form.querySelector("button");
        button.disabled = true;
        fetch(chat.dataset.sendUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": chat.dataset.csrf },
          body: JSON.stringify({ body: body })
        }).then(function (r) {
          return r.json().then(function (data) { return { ok: r.ok, data: data }; });
        }).then(function (res) {
          // A refused field: its message under the text box, what was typed stays (live.js).
          if (!res.ok && window.Hub.showFieldErrors(form, res.data, errorBox)) return;
          if (!res.ok) throw new Error((res.data.error && res.data.error.message) || labels.send_failed);
          add(res.data);
          box.value = "";
          window.Hub.clearFieldErrors(form);
          if (errorBox) errorBox.hidden = true;
        }).catch(function (err) {
          if (errorBox) { errorBox.textContent = err.message || labels.send_failed; errorBox.hidden = false; }
        }).finally(function () { button.disabled = false; });
      });
      form.querySelector("textarea").addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
      });
    }
  }

  // --- requests: status and replies as the team answers ---------------------------------------
  function setupRequests(list, socket) {
    var labels = parse(list.dataset.labels);
    socket.on("portal_request", function (r) {
      var item = list.querySelector('[data-request-id="' + r.id + '"]');
      if (!item) {
        item = el("li", "request");
        item.dataset.requestId = r.id;
        var head = el("p", "request-head");
        var status = el("span", "badge request-status");
        status.dataset.status = "";
        head.append(el("span", "tag", (labels.kinds || {})[r.kind] || r.kind), " ", status, " ",
          el("span", "muted small", (r.author ? r.author.name : "") + " · " + when(r.created_at)));
        var replies = el("ol", "replies");
        replies.dataset.replies = "";
        item.append(head, el("p", "request-body", r.body), replies);
        list.prepend(item);
      }
      item.className = "request status-" + r.status;
      item.querySelector("[data-status]").textContent = (labels.statuses || {})[r.status] || r.status;
      var box = item.querySelector("[data-replies]");
      box.textContent = "";
      (r.replies || []).forEach(function (reply) {
        var li = el("li", "reply");
        li.append(el("strong", null, reply.author ? reply.author.name : ""), " ",
          el("span", "muted small", when(reply.created_at)), el("p", null, reply.body));
        box.appendChild(li);
      });
    });
  }

  function setupAnnouncements(list, socket) {
    socket.on("portal_announcement", function (a) {
      var li = el("li", "announcement");
      li.append(el("p", null, a.body), el("p", "muted small", (a.author ? a.author.name : "") + " · " + when(a.created_at)));
      list.prepend(li);
      var empty = document.querySelector("[data-empty-announcements]");
      if (empty) empty.remove();
    });
  }

  // --- access ended: the server tells us, then closes the connection ---------------------------
  function setupClosing(socket) {
    var page = document.querySelector("[data-portal-page]");
    var labels = parse(page ? page.dataset.labels : "{}");
    var lastReason = null;
    socket.on("disconnect", function (reason) {
      // The server closed us because shares ended (not because the person was disabled): come back
      // in a moment; the new connection is checked again and only rejoins what is still allowed.
      if (reason === "io server disconnect" && lastReason === "share_ended") {
        setTimeout(function () { socket.connect(); }, 1500);
      }
    });
    socket.on("portal_closed", function (data) {
      lastReason = data && data.reason;
      var ids = (data && data.document_ids) || [];
      ids.forEach(function (id) {
        document.querySelectorAll('.portal-doc[data-doc-id="' + id + '"]').forEach(function (n) { n.remove(); });
      });
      if (page && (data.reason !== "share_ended" || ids.indexOf(Number(page.dataset.docId)) >= 0)) {
        var viewer = document.getElementById("viewer");
        if (viewer) viewer.remove();
        document.querySelectorAll("[data-testid=download]").forEach(function (n) { n.remove(); });
        var notice = document.querySelector("[data-revoked]");
        if (notice) { notice.textContent = labels.revoked || notice.textContent; notice.hidden = false; }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var socket = window.Hub && window.Hub.socket;
    if (!socket) return;
    document.querySelectorAll("[data-chat]").forEach(function (chat) { setupChat(chat, socket); });
    document.querySelectorAll("[data-requests]").forEach(function (list) { setupRequests(list, socket); });
    document.querySelectorAll("[data-announcements]").forEach(function (list) { setupAnnouncements(list, socket); });
    setupClosing(socket);
  });
})();
