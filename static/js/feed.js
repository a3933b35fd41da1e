/* The live account timeline: join the account room with the last seen id, merge the replay with live
   events by id (each applied once, in order), and rejoin from the last id after every reconnect. */
(function () {
  "use strict";
  var feed = document.getElementById("feed");
  var socket = window.Hub && window.Hub.socket;
  if (!feed || !socket) return;

  var d = feed.dataset;
  var accountId = Number(d.customerId);
  var lastId = Number(d.lastId) || 0;
  var me = Number(d.me);
  var isAdmin = d.admin === "1";
  var ownerId = Number(d.owner) || 0;
  var myDepts = (d.depts || "").split(",").filter(Boolean).map(Number);
  var labels = JSON.parse(d.labels);
  var state = document.getElementById("live-state");
  var seen = new Set();
  feed.querySelectorAll("[data-id]").forEach(function (el) { seen.add(Number(el.dataset.id)); });
  var joined = false;
  var buffer = [];

  function setState(online, text) {
    if (!state) return;
    state.className = "live-state muted small " + (online ? "online" : "offline");
    state.textContent = text || (online ? labels.ui.live : labels.ui.offline);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function when(iso) { return (iso || "").replace("T", " ").slice(0, 16); }

  function form(action, fields, label, primary) {
    var f = el("form", "inline item-action");
    f.method = "post";
    f.action = action;
    var all = Object.assign({ csrf_token: d.csrf }, fields);
    Object.keys(all).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = all[name];
      f.appendChild(input);
    });
    var button = el("button", "button small" + (primary ? " primary" : ""), label);
    button.type = "submit";
    f.appendChild(button);
    return f;
  }

  function statusBadge(status) {
    return el("span", "badge status status-" + status, labels.statuses[status] || status);
  }

  function taskForm(ev) {
    var open = ev.task.status === "open";
    return form("/customers/tasks/" + ev.id, { status: open ? "done" : "open" },
      open ? labels.ui.mark_done : labels.ui.reopen);
  }

  function requestForm(ev) {
    var open = ev.help_request.status === "open";
    return form("/customers/requests/" + ev.id + "/status", { status: open ? "solved" : "open" },
      open ? labels.ui.mark_solved : labels.ui.reopen);
  }

  function mayChangeTask(ev) {
    var t = ev.task;
    return isAdmin || me === ownerId || (ev.author && ev.author.id === me) || (t.assignee && t.assignee.id === me);
  }

  function maySolve(ev) {
    var h = ev.help_request;
    return isAdmin || (ev.author && ev.author.id === me) || (h.to_user && h.to_user.id === me) ||
      (h.to_department && myDepts.indexOf(h.to_department.id) >= 0);
  }

  function card(ev) {
    var li = el("li", "event fresh kind-" + ev.kind);
    li.id = "e" + ev.id;
    li.dataset.id = String(ev.id);
    li.dataset.kind = ev.kind;
    var head = el("div", "event-head");
    head.append(el("span", "tag kind-tag", labels.kinds[ev.kind] || ev.kind),
      el("span", "event-who", ev.author ? ev.author.name : ""), el("time", "muted small", when(ev.created_at)));
    var item = ev.task || ev.help_request || ev.complaint;
    if (item && item.status) {
      var badge = statusBadge(item.status);
      badge.dataset.role = "status";
      head.appendChild(badge);
      if (item.status === "open") li.classList.add("is-open");
    }
    li.appendChild(head);
    if (ev.body_html) {
      var body = el("div", "prose");
      body.innerHTML = ev.body_html; // sanitised on the server (hub.markdown)
      li.appendChild(body);
    }
    var meta = el("p", "meta");
    if (ev.task) {
      meta.append(labels.ui.assigned_to + " ", el("strong", null, ev.task.assignee ? ev.task.assignee.name : "—"));
      if (ev.task.due_date) meta.append(" · " + labels.ui.due + " " + ev.task.due_date);
      li.appendChild(meta);
      if (mayChangeTask(ev)) li.appendChild(taskForm(ev));
    } else if (ev.help_request) {
      var h = ev.help_request;
      meta.append(labels.ui.asked + ": ", el("strong", null, h.to_user ? h.to_user.name : (h.to_department ? h.to_department.name : "—")));
      li.appendChild(meta);
    } else if (ev.complaint) {
      meta.append(labels.ui.severity + ": ", el("span", "severity severity-" + ev.complaint.severity,
        labels.severities[ev.complaint.severity]));
      li.appendChild(meta);
      if (ev.complaint.status === "open" && (isAdmin || me === ownerId)) {
        li.appendChild(form("/customers/complaints/" + ev.id + "/acknowledge", {}, labels.ui.acknowledge, true));
      }
    } else if (ev.document) {
      var link = el("a", null, ev.document.title);
      link.href = "/documents/" + ev.document.id;
      meta.append(labels.kinds.document + ": ", link);
      li.appendChild(meta);
    }
    var changes = el("ul", "changes");
    changes.dataset.role = "changes";
    li.appendChild(changes);
    if (ev.help_request) {
      var actions = el("div", "request-actions");
      if (d.mayPost === "1") {
        var reply = form("/customers/requests/" + ev.id + "/replies", {}, labels.ui.reply);
        reply.className = "reply-form";
        var input = document.createElement("input");
        input.type = "text";
        input.name = "body";
        input.maxLength = 5000;
        input.required = true;
        input.placeholder = labels.ui.reply_hint;
        reply.insertBefore(input, reply.lastChild);
        actions.appendChild(reply);
      }
      if (maySolve(ev)) actions.appendChild(requestForm(ev));
      li.appendChild(actions);
    }
    return li;
  }

  function changeLine(ev) {
    var li = el("li", "change");
    li.id = "e" + ev.id;
    li.dataset.id = String(ev.id);
    li.appendChild(el("span", "change-who", ev.author ? ev.author.name : ""));
    if (ev.kind === "reply") {
      li.append(" ", el("time", null, when(ev.created_at)));
      var body = el("div", "prose");
      body.innerHTML = ev.body_html;
      li.appendChild(body);
    } else {
      li.append(" " + (labels.actions[ev.action] || ev.action) + (ev.body ? " " + ev.body : "") + " · ",
        el("time", null, when(ev.created_at)));
    }
    return li;
  }

  function updateParent(parentNode, parent) {
    if (!parent.status) return;
    var badge = parentNode.querySelector('[data-role="status"]');
    if (badge) {
      badge.className = "badge status status-" + parent.status;
      badge.textContent = labels.statuses[parent.status] || parent.status;
    }
    parentNode.classList.toggle("is-open", parent.status === "open");
    // Flip the item's own action button (done <-> reopen, solved <-> reopen); drop a spent acknowledge.
    parentNode.querySelectorAll(":scope > form.item-action, :scope > .request-actions > form.item-action")
      .forEach(function (f) {
        var status = f.querySelector('input[name="status"]');
        if (!status) { if (parent.status !== "open") f.remove(); return; }
        var open = parent.status === "open";
        status.value = open ? (parent.kind === "task" ? "done" : "solved") : "open";
        f.querySelector("button").textContent = open ?
          (parent.kind === "task" ? labels.ui.mark_done : labels.ui.mark_solved) : labels.ui.reopen;
      });
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

  function apply(ev) {
    if (ev.account_id !== accountId || seen.has(ev.id)) return;
    seen.add(ev.id);
    if (ev.id > lastId) lastId = ev.id;
    if (ev.parent_id) {
      if (ev.action === "acknowledged") {
        document.querySelectorAll('[data-alert-id="' + ev.parent_id + '"]').forEach(function (a) { a.remove(); });
      }
      var parentNode = document.getElementById("e" + ev.parent_id);
      if (!parentNode) return; // not on this page (older, or filtered out)
      parentNode.querySelector('[data-role="changes"]').appendChild(changeLine(ev));
      if (ev.parent) updateParent(parentNode, ev.parent);
      return;
    }
    if (!matchesFilter(ev)) return;
    var empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
    feed.insertBefore(card(ev), feed.firstChild);
  }

  function join() {
    joined = false;
    socket.emit("join", { customer_id: accountId, after: lastId }, function (ack) {
      if (!ack || ack.error) {
        if (ack && ack.error && ack.error.code === "invalid" && lastId !== 0) {
          lastId = 0; // our position is unknown to the server (e.g. data reset): replay all, seen ids are skipped
          join();
          return;
        }
        setState(false, ack && ack.error ? ack.error.message : "");
        return;
      }
      var all = ack.events.concat(buffer);
      buffer = [];
      all.sort(function (a, b) { return a.id - b.id; });
      all.forEach(apply);
      joined = true;
      setState(true);
      if (ack.more) join();
    });
  }

  socket.on("feed_event", function (ev) {
    if (joined) apply(ev);
    else buffer.push(ev); // arrived before the replay: merged by id when the replay comes
  });
  socket.on("connect", join);
  socket.on("disconnect", function () { joined = false; setState(false); });
  if (socket.connected) join();
})();
