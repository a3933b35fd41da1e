// Documents: uploads with per-file progress, live preview states, and the lazy page viewer.
(function () {
  "use strict";
  if (window.hubDocumentsLoaded) return; // the department cards may include this script more than once
  window.hubDocumentsLoaded = true;

  const FINAL = new Set(["ready", "failed"]);
  const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

  function csrfToken(scope) {
    const input = (scope || document).querySelector("input[name=csrf_token]") || document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // --- live preview states: Socket.IO room doc:<id> on live.js's connection, polling as the fallback ---
  const watchers = new Map(); // doc id -> [callback]
  const Hub = window.Hub || {};
  const socket = Hub.socket || null;
  if (socket) socket.on("preview", (data) => publish(data.document_id, data));

  function badgeText(el, data) {
    const label = el.dataset["label" + data.state[0].toUpperCase() + data.state.slice(1)] || data.state;
    return data.state === "rendering" ? `${label} ${data.pages_ready}/${data.page_count || "?"}` : label;
  }

  function applyToBadges(docId, data) {
    document.querySelectorAll(`[data-preview-doc="${docId}"]`).forEach((el) => {
      if (el.dataset.previewVersion && data.version_id && String(data.version_id) !== el.dataset.previewVersion) return;
      el.className = `doc-state state-${data.state}`;
      el.dataset.state = data.state;
      el.textContent = badgeText(el, data);
    });
  }

  function publish(docId, data) {
    applyToBadges(docId, data);
    (watchers.get(String(docId)) || []).forEach((cb) => cb(data));
  }

  function joinRoom(docId) {
    if (socket) Hub.room("join", () => ({ document_id: Number(docId) })); // rejoined after every reconnect
  }

  // Where a document's state is read: the viewer's (the portal serves its own) or the badge's.
  function stateUrl(docId) {
    const el = document.querySelector(`[data-viewer][data-doc-id="${docId}"][data-state-url]`) ||
      document.querySelector(`[data-preview-doc="${docId}"][data-state-url]`);
    return el ? el.dataset.stateUrl : null;
  }

  async function poll(docId, versionId) {
    try {
      const url = stateUrl(docId);
      if (!url) return null;
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return null;
      const doc = await response.json();
      const version = (doc.versions || []).find((v) => String(v.id) === String(versionId)) || null;
      const preview = version ? version.preview : doc.preview;
      const data = Object.assign({ document_id: doc.id, version_id: version ? version.id : doc.version_id }, preview);
      publish(docId, data);
      return data;
    } catch (err) {
      return null;
    }
  }

  function watch(docId, versionId, callback) {
    docId = String(docId);
    const first = !watchers.has(docId);
    if (first) watchers.set(docId, []);
    if (callback) watchers.get(docId).push(callback);
    if (!first) return;
    joinRoom(docId);
    let state = null;
    (function loop() {
      poll(docId, versionId).then((data) => {
        if (data) state = data.state;
        if (!FINAL.has(state)) setTimeout(loop, socket && socket.connected ? 4000 : 1500);
      });
    })();
  }

  function watchBadges() {
    document.querySelectorAll("[data-preview-doc]").forEach((el) => {
      if (!FINAL.has(el.dataset.state)) watch(el.dataset.previewDoc, el.dataset.previewVersion);
    });
  }

  // --- upload: several files, drag-and-drop, XHR progress per file, cancel, duplicates -----------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function serverMessage(form, xhr) {
    try {
      const data = JSON.parse(xhr.responseText);
      return { data, message: (data.error && data.error.message) || null };
    } catch (err) {
      return { data: null, message: null };
    }
  }

  // One row per file: name, bar, percentage, cancel; the answer turns it done, failed or duplicate.
  function uploadItem(list, file) {
    const item = el("li", "upload-item");
    const head = el("div", "upload-head");
    const percent = el("span", "percent small", "0%");
    const cancel = el("button", "button small", "");
    cancel.type = "button";
    cancel.dataset.cancel = "";
    head.append(el("span", "name", file.name), percent, cancel);
    const bar = el("progress");
    bar.max = 100;
    bar.value = 0;
    const status = el("div", "status small");
    item.append(head, bar, status);
    list.append(item);
    return { item, bar, percent, cancel, status };
  }

  function setState(row, state, text) {
    row.item.classList.remove("sending", "done", "failed", "cancelled", "duplicate");
    row.item.classList.add(state);
    row.item.dataset.state = state;
    row.status.textContent = text || "";
    row.cancel.hidden = state !== "sending";
  }

  // POST one file; resolve with the XHR once it answered, failed or was cancelled.
  function send(form, row, url, file, extra) {
    const body = new FormData(form);
    body.delete("file");
    body.append("file", file, file.name);
    Object.entries(extra || {}).forEach(([k, v]) => body.set(k, v));
    row.bar.value = 0;
    row.percent.textContent = "0%";
    row.cancel.textContent = form.dataset.cancel;
    setState(row, "sending", form.dataset.sending);
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        const pct = Math.min(100, Math.round((e.loaded / e.total) * 100));
        row.bar.value = pct;
        row.percent.textContent = `${pct}%`;
      });
      // Every byte is sent: the server is checking and storing it; too late to take back.
      xhr.upload.addEventListener("load", () => {
        row.cancel.hidden = true;
        row.status.textContent = form.dataset.processing;
      });
      // Aborted mid-body, the request never reaches the upload view: nothing is stored, no row is made.
      row.cancel.onclick = () => xhr.abort();
      xhr.addEventListener("load", () => resolve(xhr));
      xhr.addEventListener("error", () => resolve(xhr));
      xhr.addEventListener("abort", () => { xhr.cancelled = true; resolve(xhr); });
      xhr.send(body);
    });
  }

  function uploaded(form, row, data) {
    row.bar.value = 100;
    row.percent.textContent = "100%";
    setState(row, "done", form.dataset.done + " · ");
    if (form.dataset.reloadTo) { window.location.assign(form.dataset.reloadTo); return; }
    const link = el("a", "", form.dataset.open);
    link.href = Hub.url(form.dataset.viewerUrl, data.id);
    const badge = el("span");
    badge.dataset.previewDoc = data.id;
    badge.dataset.previewVersion = data.version_id;
    Object.assign(badge.dataset, labelsFrom(form));
    badge.dataset.state = data.preview.state;
    badge.dataset.stateUrl = Hub.url(form.dataset.stateUrl, data.id);
    row.status.append(link, " ", badge);
    applyToBadges(data.id, Object.assign({ version_id: data.version_id }, data.preview));
    watch(data.id, data.version_id);
  }

  // The department holds these bytes already: say where, offer to open it, add a version or go on.
  function offerDuplicate(form, row, file, duplicate, message) {
    setState(row, "duplicate", message + " ");
    const actions = el("span", "upload-actions");
    const open = el("a", "button small", form.dataset.openExisting);
    open.href = duplicate.url;
    actions.append(open);
    if (duplicate.version_url) {
      const asVersion = el("button", "button small", form.dataset.asVersion);
      asVersion.type = "button";
      asVersion.dataset.asVersion = "";
      asVersion.addEventListener("click", () => {
        transfer(form, row, file, duplicate.version_url, {}, duplicate.url);
      });
      actions.append(asVersion);
    }
    const anyway = el("button", "button small", form.dataset.anyway);
    anyway.type = "button";
    anyway.dataset.anyway = "";
    anyway.addEventListener("click", () => transfer(form, row, file, form.action, { allow_duplicate: "true" }));
    actions.append(anyway);
    row.status.append(actions);
  }

  async function transfer(form, row, file, url, extra, versionOf) {
    const xhr = await send(form, row, url, file, extra);
    const { data, message } = serverMessage(form, xhr);
    if (xhr.status === 201 && data && versionOf) {
      row.bar.value = 100;
      row.percent.textContent = "100%";
      setState(row, "done", form.dataset.versionDone + " · ");
      const link = el("a", "", form.dataset.open);
      link.href = versionOf;
      row.status.append(link);
    } else if (xhr.status === 201 && data) {
      uploaded(form, row, data);
    } else if (xhr.status === 409 && data && data.error && data.error.duplicate) {
      offerDuplicate(form, row, file, data.error.duplicate, message);
    } else if (xhr.cancelled) {
      setState(row, "cancelled", form.dataset.cancelled);
    } else {
      setState(row, "failed", message || (xhr.status ? `${form.dataset.failed} (${xhr.status})` : form.dataset.failed));
    }
  }

  function uploadOne(form, file, list, multiple) {
    const row = uploadItem(list, file);
    const max = Number(form.dataset.maxBytes || 0);
    if (max && file.size > max) {
      setState(row, "failed", form.dataset.tooLarge);
      return Promise.resolve();
    }
    return transfer(form, row, file, form.dataset.apiUrl || form.action, multiple ? { title: "" } : {});
  }

  function labelsFrom(el) {
    const labels = {};
    ["labelQueued", "labelRendering", "labelReady", "labelFailed"].forEach((k) => {
      if (el.dataset[k]) labels[k] = el.dataset[k];
    });
    return labels;
  }

  // A styled file picker shows what was chosen in place of the browser's own "no file chosen".
  function showChosen(input) {
    const chosen = input.closest("form").querySelector("[data-chosen]");
    if (!chosen) return;
    const files = Array.from(input.files || []);
    chosen.textContent = files.length ? files.map((f) => f.name).join("、") : chosen.dataset.none;
    chosen.classList.toggle("muted", !files.length);
  }

  function setupUpload(form) {
    const input = form.querySelector("[data-files]");
    const zone = form.querySelector("[data-drop]");
    const list = form.querySelector("[data-upload-list]");
    const submit = form.querySelector("[data-submit]");
    input.addEventListener("change", () => showChosen(input));
    ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("dragging"); }));
    ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, () => zone.classList.remove("dragging")));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
      showChosen(input);
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const files = Array.from(input.files || []);
      if (!files.length) { input.click(); return; }
      submit.disabled = true;
      for (const file of files) await uploadOne(form, file, list, files.length > 1);
      input.value = "";
      showChosen(input);
      submit.disabled = false;
    });
  }

  // --- the viewer: pages one below another, loaded as they come near ----------------------------
  function setupViewer(viewer) {
    const pagesBox = viewer.querySelector("[data-pages]");
    const counter = viewer.querySelector("[data-current]");
    const totalEl = viewer.querySelector("[data-total]");
    const errorEl = viewer.querySelector("[data-error]");
    const pageUrl = (n) => viewer.dataset.pageUrl.replace(/\/pages\/0(\?|$)/, `/pages/${n}$1`);
    let ready = Number(viewer.dataset.pagesReady || 0);
    let count = Number(viewer.dataset.pageCount || 0);
    let zoom = 1;
    let ratio = null;
    const near = new Set();
    const figures = [];

    const loader = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
      entries.forEach((entry) => {
        const n = Number(entry.target.dataset.number);
        if (entry.isIntersecting) { near.add(n); load(entry.target); } else { near.delete(n); }
      });
    }, { rootMargin: "1200px 0px" }) : null;

    function load(fig) {
      const n = Number(fig.dataset.number);
      if (fig.dataset.loaded || n > ready) return;
      fig.dataset.loaded = "1";
      const img = document.createElement("img");
      img.alt = `${n}`;
      img.decoding = "async";
      img.addEventListener("load", () => {
        fig.querySelector(".waiting")?.remove();
        if (!ratio && img.naturalWidth) {
          ratio = `${img.naturalWidth} / ${img.naturalHeight}`;
          figures.forEach((f) => { f.style.aspectRatio = ratio; });
        }
      });
      img.addEventListener("error", () => { delete fig.dataset.loaded; img.remove(); });
      img.src = pageUrl(n);
      fig.prepend(img);
    }

    function build() {
      if (!pagesBox) return;
      for (let n = figures.length + 1; n <= count; n++) {
        const fig = document.createElement("figure");
        fig.className = "doc-page";
        fig.id = `page-${n}`;
        fig.dataset.number = n;
        if (ratio) fig.style.aspectRatio = ratio;
        const waiting = document.createElement("span");
        waiting.className = "waiting";
        waiting.textContent = viewer.dataset.labelWaiting;
        const caption = document.createElement("figcaption");
        caption.textContent = `${n}`;
        fig.append(waiting, caption);
        pagesBox.append(fig);
        figures.push(fig);
        if (loader) loader.observe(fig); else load(fig);
      }
      if (totalEl) totalEl.textContent = count || "?";
    }

    function update(data) {
      if (String(data.version_id) !== viewer.dataset.versionId) return;
      ready = data.pages_ready || 0;
      count = data.page_count || count;
      viewer.dataset.state = data.state;
      build();
      near.forEach((n) => figures[n - 1] && load(figures[n - 1]));
      if (!loader) figures.forEach(load);
      if (errorEl) { errorEl.hidden = data.state !== "failed"; errorEl.textContent = data.error || ""; }
      if (data.state === "ready" && viewer.querySelector("[data-reload-when-ready]")) window.location.reload();
    }

    function currentPage() {
      const top = viewer.querySelector(".viewer-bar").getBoundingClientRect().bottom;
      for (const fig of figures) {
        if (fig.getBoundingClientRect().bottom > top + 20) return Number(fig.dataset.number);
      }
      return figures.length;
    }

    let ticking = false;
    window.addEventListener("scroll", () => {
      if (ticking || !counter) return;
      ticking = true;
      requestAnimationFrame(() => { counter.textContent = currentPage() || 1; ticking = false; });
    }, { passive: true });

    viewer.querySelectorAll("[data-zoom]").forEach((btn) => btn.addEventListener("click", () => {
      const page = currentPage();
      const i = Math.max(0, Math.min(ZOOMS.length - 1, ZOOMS.indexOf(zoom) + Number(btn.dataset.zoom)));
      zoom = ZOOMS[i];
      pagesBox.style.setProperty("--zoom", zoom);
      viewer.querySelector("[data-zoom-level]").textContent = `${Math.round(zoom * 100)}%`;
      figures[page - 1]?.scrollIntoView({ block: "start" });
    }));

    const jump = viewer.querySelector("[data-jump]");
    jump?.addEventListener("submit", (e) => {
      e.preventDefault();
      const n = Number(jump.querySelector("input").value);
      if (n >= 1 && n <= figures.length) {
        figures[n - 1].scrollIntoView({ block: "start" });
        load(figures[n - 1]);
        counter.textContent = n;
      }
    });

    build();
    if (!FINAL.has(viewer.dataset.state)) watch(viewer.dataset.docId, viewer.dataset.versionId, update);
  }

  // The sticky top bar and viewer bar change height with the fonts, the width and the open menu:
  // publish their real heights so sticky offsets and jump targets (CSS) stop just below them.
  function trackHeight(element, target, property) {
    if (!element || !("ResizeObserver" in window)) return;
    new ResizeObserver(() => target.style.setProperty(property, `${element.offsetHeight}px`)).observe(element);
  }

  document.addEventListener("DOMContentLoaded", () => {
    trackHeight(document.querySelector(".topbar"), document.documentElement, "--topbar-height");
    document.querySelectorAll("[data-viewer]").forEach((v) => trackHeight(v.querySelector(".viewer-bar"), v, "--viewer-bar-height"));
    document.querySelectorAll("form[data-upload]").forEach(setupUpload);
    document.querySelectorAll("[data-viewer]").forEach(setupViewer);
    document.querySelectorAll("form[data-confirm]").forEach((form) => form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    }));
    watchBadges();
  });
})();
