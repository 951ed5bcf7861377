/* LEH case page: the parallel upload queue (per-file progress, cancel, retry) — the one thing htmx cannot do.
   Everything else on the page is rendered by the server. A file's processing state is read from its row in the
   evidence table, which the server keeps live over server-sent events; no labels are kept here.
   Nothing is written to localStorage or IndexedDB. */
(function () {
  "use strict";

  var LEH = window.LEH;
  var caseId = document.getElementById("main").dataset.caseId;
  var CONCURRENCY = 4;
  var panel = document.getElementById("upload-panel");
  var uploadList = document.getElementById("upload-list");
  var rowTemplate = document.getElementById("upload-row-template");
  var table = document.getElementById("evidence-rows");
  if (!panel || !rowTemplate) { return; }

  var jobs = [];
  var active = 0;
  var dirty = new Set();
  var frame = 0;

  function fmtSize(n) {
    if (n < 1024) { return n + " B"; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(1) + " KB"; }
    if (n < 1024 * 1024 * 1024) { return (n / 1024 / 1024).toFixed(1) + " MB"; }
    return (n / 1024 / 1024 / 1024).toFixed(1) + " GB";
  }

  /** The server-rendered state of an uploaded file: {status, label, detail, retry}, from its evidence row. */
  function processing(job) {
    var tr = job.evidenceId ? document.getElementById("ev-row-" + job.evidenceId) : null;
    if (!tr) { return { status: "queued", label: "", detail: "", retry: null }; }
    var badge = tr.querySelector(".ev-status .badge");
    var note = tr.querySelector(".ev-error .ev-msg, .ev-note");  // the message, not the small error code
    return { status: tr.dataset.status, label: badge ? badge.textContent : "", detail: note ? note.textContent : "",
      retry: tr.querySelector("button.ev-retry") };
  }

  function markDirty(job) { dirty.add(job); scheduleFlush(); }
  function scheduleFlush() { if (!frame) { frame = window.requestAnimationFrame(flush); } }
  function flush() {
    frame = 0;
    dirty.forEach(paintJob);
    dirty.clear();
    if (jobs.length) { paintOverall(); }
  }

  function Job(file) {
    this.file = file;
    this.state = "waiting";  // waiting, uploading, cancelled, error, tracking (uploaded; the server processes it)
    this.loaded = 0;
    this.evidenceId = null;
    this.xhr = null;
    this.message = "";
    var node = rowTemplate.content.firstElementChild.cloneNode(true);
    node.querySelector(".ur-name").textContent = file.name;
    node.querySelector(".ur-name").title = file.name;
    node.querySelector(".ur-size").textContent = fmtSize(file.size);
    node.querySelector(".ur-cancel").addEventListener("click", cancel.bind(null, this));
    node.querySelector(".ur-retry").addEventListener("click", retry.bind(null, this));
    this.row = node;
  }

  function paintJob(job) {
    var row = job.row;
    var live = job.state === "tracking" ? processing(job) : null;
    row.dataset.state = live ? live.status : job.state;
    if (job.evidenceId) { row.dataset.evidenceId = job.evidenceId; }
    var pct = job.file.size ? Math.round(job.loaded / job.file.size * 100) : (job.state === "waiting" ? 0 : 100);
    if (live) { pct = 100; }
    var bar = row.querySelector(".progress");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.firstElementChild.style.width = pct + "%";
    var text, cls, info = "";
    if (job.state === "waiting") { text = "대기"; cls = "queued"; }
    else if (job.state === "uploading") { text = "업로드 " + pct + "%"; cls = "uploading"; }
    else if (job.state === "cancelled") { text = "취소됨"; cls = "cancelled"; }
    else if (job.state === "error") { text = "업로드 실패"; cls = "failed"; info = job.message; }
    else { text = live.label || row.dataset.queuedLabel; cls = live.status; info = live.detail; }
    var badge = row.querySelector(".ur-badge");
    badge.className = "badge ur-badge badge-" + cls;
    badge.textContent = text;
    var detail = row.querySelector(".ur-detail");
    detail.textContent = info;
    detail.title = info;
    row.querySelector(".ur-cancel").hidden = !(job.state === "waiting" || job.state === "uploading");
    // A processing failure offers 재시도 only when the server row does (a retry can help that error code).
    row.querySelector(".ur-retry").hidden = !(job.state === "error" || (live && live.status === "failed" && live.retry));
    var open = row.querySelector(".ur-open");
    open.hidden = !(live && live.status === "done");
    if (job.evidenceId) { open.href = "/cases/" + caseId + "/evidence/" + job.evidenceId; }
  }

  function paintOverall() {
    var total = 0, loaded = 0, uploaded = 0, failed = 0, processed = 0, cancelled = 0, processFailed = 0, counted = 0;
    jobs.forEach(function (job) {
      if (job.state === "cancelled") { cancelled++; return; }
      counted++;
      total += job.file.size;
      loaded += job.state === "tracking" ? job.file.size : job.loaded;
      if (job.state === "tracking") {
        uploaded++;
        var s = processing(job).status;
        if (s === "done") { processed++; }
        if (s === "failed") { processFailed++; }
      }
      if (job.state === "error") { failed++; }
    });
    var pct = total ? Math.floor(loaded / total * 100) : (counted ? 100 : 0);
    var bar = document.getElementById("overall-bar");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.firstElementChild.style.width = pct + "%";
    var busy = jobs.some(function (j) { return j.state === "waiting" || j.state === "uploading"; });
    document.getElementById("overall-label").textContent = busy
      ? "업로드 중 " + uploaded + " / " + counted + " · " + pct + "%" : "업로드 완료 " + uploaded + " / " + counted;
    var parts = ["처리 완료 " + processed];
    if (processFailed) { parts.push("처리 실패 " + processFailed); }
    if (failed) { parts.push("업로드 실패 " + failed); }
    if (cancelled) { parts.push("취소 " + cancelled); }
    parts.push(fmtSize(loaded) + " / " + fmtSize(total));
    document.getElementById("overall-detail").textContent = parts.join(" · ");
  }

  function addFiles(fileList) {
    var files = Array.prototype.slice.call(fileList || []);
    if (!files.length) { return; }
    panel.hidden = false;
    var fragment = document.createDocumentFragment();
    files.forEach(function (file) {
      var job = new Job(file);
      jobs.push(job);
      fragment.appendChild(job.row);
      markDirty(job);
    });
    uploadList.appendChild(fragment);
    pump();
  }

  function pump() {
    for (var i = 0; i < jobs.length && active < CONCURRENCY; i++) {
      if (jobs[i].state === "waiting") { start(jobs[i]); }
    }
    scheduleFlush();
  }

  function CancelledError() { this.message = "cancelled"; }

  function put(job, target) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      job.xhr = xhr;
      var method = (target.method || "PUT").toUpperCase();
      xhr.open(method, target.upload_url);
      var body = job.file;
      if (method === "POST" && target.fields && Object.keys(target.fields).length) {
        body = new FormData();
        Object.keys(target.fields).forEach(function (k) { body.append(k, target.fields[k]); });
        body.append("file", job.file);
      } else {
        Object.keys(target.headers || {}).forEach(function (k) { xhr.setRequestHeader(k, target.headers[k]); });
      }
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { job.loaded = Math.min(job.file.size, e.loaded); markDirty(job); }
      });
      xhr.addEventListener("load", function () {
        job.xhr = null;
        if (xhr.status >= 200 && xhr.status < 300) { job.loaded = job.file.size; resolve(); return; }
        var message = "업로드에 실패했습니다 (" + xhr.status + "). 재시도해주세요.";
        try { message = JSON.parse(xhr.responseText).error.message || message; } catch (err) { /* not JSON */ }
        reject(new Error(message));
      });
      xhr.addEventListener("error", function () {
        job.xhr = null;
        reject(new Error("네트워크 오류로 업로드하지 못했습니다. 연결을 확인한 뒤 재시도해주세요."));
      });
      xhr.addEventListener("abort", function () { job.xhr = null; reject(new CancelledError()); });
      xhr.send(body);
    });
  }

  async function start(job) {
    active++;
    job.state = "uploading";
    job.loaded = 0;
    markDirty(job);
    try {
      var pre = await LEH.api("POST", "/api/evidence/presigned-url", {
        case_id: caseId, filename: job.file.name, content_type: job.file.type || "application/octet-stream", size: job.file.size });
      if (!pre.ok) { throw new Error(pre.error.message); }
      job.evidenceId = pre.data.evidence_id;
      if (job.state === "cancelled") { throw new CancelledError(); }
      await put(job, pre.data);
      if (job.state === "cancelled") { throw new CancelledError(); }
      var done = await LEH.api("POST", "/api/evidence/upload-complete", { evidence_id: job.evidenceId });
      if (!done.ok) { throw new Error(done.error.message); }
      job.state = "tracking";
    } catch (err) {
      if (err instanceof CancelledError || job.state === "cancelled") {
        job.state = "cancelled";
        discard(job);
      } else {
        job.state = "error";
        job.message = err.message || "업로드하지 못했습니다. 재시도해주세요.";
      }
    } finally {
      active--;
      markDirty(job);
      pump();
    }
  }

  /** An upload that will not be completed: its half-made evidence record is removed. */
  function discard(job) {
    if (job.evidenceId) { LEH.api("DELETE", "/api/evidence/" + job.evidenceId); }
    job.evidenceId = null;
  }

  function cancel(job) {
    if (job.state === "waiting" || job.state === "uploading") {
      job.state = "cancelled";
      if (job.xhr) { job.xhr.abort(); }
    }
    markDirty(job);
    pump();
  }

  function retry(job) {
    if (job.state === "error") {
      discard(job);
      job.state = "waiting";
      job.loaded = 0;
      job.message = "";
      markDirty(job);
      pump();
    } else if (job.state === "tracking") {
      var button = processing(job).retry;  // the table row's own 재시도 (htmx posts it and swaps the row)
      if (button) { button.click(); }
    }
  }

  var input = document.getElementById("file-input");
  var zone = document.getElementById("dropzone");
  input.addEventListener("change", function () { addFiles(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("is-over"); });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("is-over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("is-over");
    if (e.dataTransfer) { addFiles(e.dataTransfer.files); }
  });
  // A file dropped next to the zone must not make the browser navigate away from the page.
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { e.preventDefault(); });
  document.getElementById("cancel-all").addEventListener("click", function () {
    jobs.forEach(function (job) { if (job.state === "waiting" || job.state === "uploading") { cancel(job); } });
  });
  document.getElementById("clear-finished").addEventListener("click", function () {
    jobs = jobs.filter(function (job) {
      var finished = job.state === "cancelled" || (job.state === "tracking" && processing(job).status === "done");
      if (finished) { job.row.remove(); }
      return !finished;
    });
    if (!jobs.length) { panel.hidden = true; } else { scheduleFlush(); }
  });
  window.addEventListener("beforeunload", function (e) {
    if (jobs.some(function (j) { return j.state === "uploading" || j.state === "waiting"; })) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  // The server swaps evidence rows in (live events, retry): repaint the uploads that follow them.
  new MutationObserver(function () {
    jobs.forEach(function (job) { if (job.state === "tracking") { dirty.add(job); } });
    scheduleFlush();
  }).observe(table, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-status"] });
})();
