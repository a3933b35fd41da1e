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

  // --- upload: several files, drag-and-drop, XHR progress per file ------------------------------
  function uploadOne(form, file, list, multiple) {
    const item = document.createElement("li");
    item.className = "upload-item";
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const status = document.createElement("span");
    status.className = "status small";
    item.append(name, bar, status);
    list.append(item);

    const max = Number(form.dataset.maxBytes || 0);
    if (max && file.size > max) {
      item.classList.add("failed");
      status.textContent = form.dataset.tooLarge;
      return Promise.resolve();
    }
    const body = new FormData(form);
    body.delete("file");
    body.append("file", file, file.name);
    if (multiple) body.delete("title");
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
        if (xhr.status === 201 && data) {
          bar.value = 100;
          item.classList.add("done");
          const link = document.createElement("a");
          link.href = Hub.url(form.dataset.viewerUrl, data.id);
          link.textContent = form.dataset.open;
          const badge = document.createElement("span");
          badge.dataset.previewDoc = data.id;
          badge.dataset.previewVersion = data.version_id;
          Object.assign(badge.dataset, labelsFrom(form));
          badge.dataset.state = data.preview.state;
          badge.dataset.stateUrl = Hub.url(form.dataset.stateUrl, data.id);
          status.textContent = form.dataset.done + " · ";
          status.append(link, " ", badge);
          applyToBadges(data.id, Object.assign({ version_id: data.version_id }, data.preview));
          watch(data.id, data.version_id);
        } else {
          item.classList.add("failed");
          status.textContent = (data && data.error && data.error.message) || `${form.dataset.failed} (${xhr.status})`;
        }
        resolve();
      });
      xhr.addEventListener("error", () => {
        item.classList.add("failed");
        status.textContent = form.dataset.failed;
        resolve();
      });
      xhr.send(body);
    });
  }

  function labelsFrom(el) {
    const labels = {};
    ["labelQueued", "labelRendering", "labelReady", "labelFailed"].forEach((k) => {
      if (el.dataset[k]) labels[k] = el.dataset[k];
    });
    return labels;
  }

  function setupUpload(form) {
    const input = form.querySelector("[data-files]");
    const zone = form.querySelector("[data-drop]");
    const list = form.querySelector("[data-upload-list]");
    const submit = form.querySelector("[data-submit]");
    ["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("dragging"); }));
    ["dragleave", "drop"].forEach((t) => zone.addEventListener(t, () => zone.classList.remove("dragging")));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const files = Array.from(input.files || []);
      if (!files.length) { input.click(); return; }
      submit.disabled = true;
      for (const file of files) await uploadOne(form, file, list, files.length > 1);
      input.value = "";
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

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-upload]").forEach(setupUpload);
    document.querySelectorAll("[data-viewer]").forEach(setupViewer);
    document.querySelectorAll("form[data-confirm]").forEach((form) => form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    }));
    watchBadges();
  });
})();
