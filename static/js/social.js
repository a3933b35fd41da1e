// Social widgets: star ratings, comment threads (post, edit, delete, helpful), @mention autocomplete,
// and live comments for readers of the same document (Socket.IO room doc:<id>).
(function () {
  "use strict";
  if (window.hubSocialLoaded) return; // the partials may include this script more than once
  window.hubSocialLoaded = true;

  function send(method, url, csrf, body) {
    var options = { method: method, credentials: "same-origin", headers: { "X-CSRFToken": csrf, Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 204) return { ok: true, status: 204, data: null };
      return response.json().then(
        function (data) { return { ok: response.ok, status: response.status, data: data }; },
        function () { return { ok: false, status: response.status, data: null }; }
      );
    });
  }

  function errorText(result, fallback) {
    return (result && result.data && result.data.error && result.data.error.message) || fallback;
  }

  function show(el, text) {
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  // A refused save: each field's message under its input (typed text stays), else the form's error line.
  function refused(form, result, error, fallback) {
    if (!window.Hub.showFieldErrors(form, result.data, error)) show(error, errorText(result, fallback));
  }

  // --- ratings ------------------------------------------------------------------

  function paintRating(box, summary) {
    var avg = box.querySelector("[data-rating-average]");
    if (avg) { avg.textContent = summary.count ? summary.average.toFixed(1) : ""; avg.hidden = !summary.count; }
    var none = box.querySelector("[data-rating-none]"); // "no ratings yet" stands where the average would
    if (none) none.hidden = !!summary.count;
    var distribution = box.querySelector("[data-distribution]");
    if (distribution) distribution.hidden = !summary.count;
    var count = box.querySelector("[data-rating-count]");
    if (count) count.textContent = summary.count;
    var stars = box.querySelectorAll(".stars-static span");
    stars.forEach(function (s, i) { s.classList.toggle("on", !!summary.average && i + 1 <= summary.average + 0.25); });
    Object.keys(summary.distribution).forEach(function (k) {
      var n = summary.distribution[k];
      var fill = box.querySelector('[data-dist="' + k + '"]');
      if (fill) fill.className = "fill w" + (summary.count ? Math.floor((n * 100) / summary.count / 10) * 10 : 0);
      var label = box.querySelector('[data-dist-count="' + k + '"]');
      if (label) label.textContent = n;
    });
    box.querySelectorAll("[data-stars]").forEach(function (b) {
      var n = Number(b.dataset.stars);
      b.classList.toggle("on", !!summary.mine && n <= summary.mine);
      b.setAttribute("aria-checked", summary.mine === n ? "true" : "false");
    });
    var input = box.querySelector(".stars-input");
    if (input) input.dataset.mine = summary.mine || 0;
    var remove = box.querySelector("[data-rating-remove]");
    if (remove) remove.hidden = !summary.mine;
  }

  function initRating(box) {
    var csrf = box.dataset.csrf;
    var error = box.querySelector("[data-rating-error]");
    box.addEventListener("click", function (event) {
      var star = event.target.closest("[data-stars]");
      var remove = event.target.closest("[data-rating-remove]");
      if (!star && !remove) return;
      var request = star
        ? send("PUT", box.dataset.url, csrf, { stars: Number(star.dataset.stars) })
        : send("DELETE", box.dataset.url, csrf);
      request.then(function (result) {
        if (result.ok) { show(error, ""); paintRating(box, result.data); } else { show(error, errorText(result, "Error")); }
      });
    });
    if (box.dataset.viewsUrl) send("POST", box.dataset.viewsUrl, csrf); // counted once per person per day
  }

  // --- comments -------------------------------------------------------------------

  function formatTime(iso) {
    return iso ? iso.replace("T", " ").slice(0, 16) : "";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function buildComment(thread, c) {
    var t = thread.dataset;
    var me = Number(t.meId);
    var li = el("li", "comment");
    li.id = "comment-" + c.id;
    li.dataset.commentId = c.id;
    li.dataset.authorId = c.author.id;
    var head = el("div", "comment-head");
    var avatar = el("span", "avatar", c.author.name.slice(0, 1));
    avatar.setAttribute("aria-hidden", "true");
    var author = el("a", "comment-author", c.author.name);
    author.href = window.Hub.url(t.personUrl, c.author.id);
    head.append(avatar, author, el("time", "muted small", formatTime(c.created_at)));
    if (c.edited_at) head.append(el("span", "muted small", "· " + t.tEdited));
    var body = el("div", "prose comment-body");
    body.dataset.commentBody = "";
    body.innerHTML = c.html; // sanitised on the server (hub/markdown.py)
    var source = el("textarea");
    source.hidden = true;
    source.dataset.commentSource = "";
    source.value = c.body;
    var actions = el("div", "comment-actions");
    if (c.author.id !== me) {
      // the same control as templates/social/_helpful.html draws
      var helpful = el("button", "button small helpful-vote" + (c.helpful_by_me ? " on" : ""), t.tHelpful + " ");
      helpful.type = "button";
      helpful.dataset.helpful = "";
      helpful.setAttribute("aria-pressed", c.helpful_by_me ? "true" : "false");
      var n = el("span", "helpful-count", String(c.helpful));
      n.dataset.helpfulCount = "";
      helpful.append(n);
      actions.append(helpful);
    }
    if (c.author.id === me) {
      var edit = el("button", "link small", t.tEdit);
      edit.type = "button";
      edit.dataset.edit = "";
      actions.append(edit);
    }
    if (c.author.id === me || t.moderator === "1") {
      var del = el("button", "link small danger", t.tDelete);
      del.type = "button";
      del.dataset.delete = "";
      actions.append(del);
    }
    li.append(head, body, source, actions);
    return li;
  }

  function recount(thread) {
    var count = thread.querySelector("[data-comment-count]");
    if (count) count.textContent = thread.querySelectorAll("[data-comment-list] > .comment").length;
  }

  function addComment(thread, c) {
    var list = thread.querySelector("[data-comment-list]");
    if (list.querySelector('[data-comment-id="' + c.id + '"]')) return; // already shown (own post or replay)
    var li = buildComment(thread, c);
    list.append(li);
    recount(thread);
    return li;
  }

  function replaceComment(thread, c) {
    var old = thread.querySelector('[data-comment-id="' + c.id + '"]');
    if (old) old.replaceWith(buildComment(thread, c));
  }

  function removeComment(thread, id) {
    var old = thread.querySelector('[data-comment-id="' + id + '"]');
    if (old) old.remove();
    recount(thread);
  }

  function startEdit(thread, li) {
    if (li.querySelector(".comment-edit")) return;
    var t = thread.dataset;
    var form = el("form", "comment-edit");
    var area = el("textarea");
    area.rows = 3;
    area.maxLength = 5000;
    area.name = "body"; // where a refusal's field message goes (Hub.showFieldErrors)
    area.value = li.querySelector("[data-comment-source]").value;
    area.dataset.mentionInput = "";
    var wrap = el("div", "mention-wrap");
    var menu = el("ul", "mention-menu");
    menu.hidden = true;
    menu.dataset.mentionMenu = "";
    wrap.append(area, menu);
    var error = el("p", "error small");
    error.hidden = true;
    var save = el("button", "button primary small", t.tSave);
    save.type = "submit";
    var cancel = el("button", "button small", t.tCancel);
    cancel.type = "button";
    form.append(wrap, error, save, cancel);
    li.querySelector("[data-comment-body]").hidden = true;
    li.append(form);
    initMentions(thread, area, menu);
    area.focus();
    cancel.addEventListener("click", function () {
      form.remove();
      li.querySelector("[data-comment-body]").hidden = false;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send("PATCH", window.Hub.url(t.commentUrl, li.dataset.commentId), t.csrf, { body: area.value }).then(function (result) {
        if (result.ok) replaceComment(thread, result.data);
        else refused(form, result, error, t.tError);
      });
    });
  }

  function initThread(thread) {
    var t = thread.dataset;
    var form = thread.querySelector("[data-comment-form]");
    if (form) {
      var area = form.querySelector("textarea");
      var error = form.querySelector("[data-comment-error]");
      initMentions(thread, area, form.querySelector("[data-mention-menu]"));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        button.disabled = true;
        send("POST", t.createUrl, t.csrf, { body: area.value }).then(function (result) {
          button.disabled = false;
          if (result.ok) {
            area.value = "";
            show(error, "");
            window.Hub.clearFieldErrors(form);
            addComment(thread, result.data);
          } else {
            refused(form, result, error, t.tError);
          }
        }, function () { button.disabled = false; show(error, t.tError); });
      });
    }
    thread.addEventListener("click", function (event) {
      var li = event.target.closest(".comment");
      if (!li) return;
      var id = li.dataset.commentId;
      if (event.target.closest("[data-edit]")) startEdit(thread, li);
      if (event.target.closest("[data-delete]") && window.confirm(t.tConfirm)) {
        send("DELETE", window.Hub.url(t.commentUrl, id), t.csrf).then(function (result) { if (result.ok) removeComment(thread, id); });
      }
      var helpful = event.target.closest("[data-helpful]");
      if (helpful) {
        var on = helpful.getAttribute("aria-pressed") === "true";
        send(on ? "DELETE" : "PUT", window.Hub.url(t.helpfulUrl, id), t.csrf).then(function (result) {
          if (result.ok) replaceComment(thread, result.data);
        });
      }
    });
    if (t.live) joinLive(thread, Number(t.live));
  }

  // --- @mention autocomplete: the one shared by comments and the account feed (mentions.js) ---

  function initMentions(thread, area, menu) {
    if (window.Hub && window.Hub.mentions) window.Hub.mentions.attach(area, menu, thread.dataset.suggestUrl);
  }

  // --- live comments ----------------------------------------------------------------

  var liveThreads = {};
  var joinedState = {}; // doc id -> "1" joined / "0" refused, from the last answer
  var wired = false;

  // live.js's connection: listen once, then each document's room is joined (and rejoined) through Hub.room.
  function wire() {
    var socket = window.Hub && window.Hub.socket;
    if (!socket) return false;
    if (wired) return true;
    wired = true;
    socket.on("comment", function (c) { each(c.target.id, function (thread) { addComment(thread, c); }); });
    socket.on("comment_updated", function (c) { each(c.target.id, function (thread) { replaceComment(thread, c); }); });
    socket.on("comment_deleted", function (data) {
      Object.keys(liveThreads).forEach(function (id) { each(Number(id), function (thread) { removeComment(thread, data.id); }); });
    });
    socket.on("rating", function (summary) {
      document.querySelectorAll("[data-rating][data-doc-id='" + summary.document_id + "']").forEach(function (box) {
        var mine = box.querySelector(".stars-input");
        paintRating(box, Object.assign({}, summary, { mine: Number(mine ? mine.dataset.mine : 0) || null }));
      });
    });
    return true;
  }

  function each(docId, fn) {
    (liveThreads[docId] || []).forEach(fn);
  }

  function joinLive(thread, docId) {
    if (!wire()) return;
    var first = !liveThreads[docId];
    (liveThreads[docId] = liveThreads[docId] || []).push(thread);
    if (!first) {
      if (joinedState[docId]) thread.dataset.liveJoined = joinedState[docId];
      return;
    }
    window.Hub.room("join_document", function () { return { document_id: Number(docId) }; }, function (answer) {
      joinedState[docId] = answer && answer.ok ? "1" : "0";
      each(docId, function (t) { t.dataset.liveJoined = joinedState[docId]; });
    });
  }

  // --- helpful votes on answers (comments have theirs inside the thread) ---------------

  function paintVote(button, summary) {
    button.classList.toggle("on", summary.helpful_by_me);
    button.setAttribute("aria-pressed", summary.helpful_by_me ? "true" : "false");
    var count = button.querySelector("[data-helpful-count]");
    if (count) count.textContent = summary.helpful;
  }

  function initAnswerVote(button) {
    var error = button.closest(".answer") && button.closest(".answer").querySelector("[data-helpful-error]");
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") === "true";
      button.disabled = true;
      send(on ? "DELETE" : "PUT", button.dataset.url, button.dataset.csrf).then(function (result) {
        button.disabled = false;
        if (result.ok) { show(error, ""); paintVote(button, result.data); }
        else show(error, errorText(result, button.dataset.tError));
      }, function () { button.disabled = false; show(error, button.dataset.tError); });
    });
  }

  function boot() {
    document.querySelectorAll("[data-rating]").forEach(initRating);
    document.querySelectorAll("[data-comments]").forEach(initThread);
    document.querySelectorAll("[data-answer-helpful]").forEach(initAnswerVote);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
