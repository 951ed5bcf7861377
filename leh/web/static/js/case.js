/* LEH case page: parallel uploads with progress and cancel, live evidence status, timeline, search, ask, draft.
   Nothing is written to localStorage or IndexedDB; evidence text only ever lives in the DOM of this page. */
(function () {
  "use strict";

  var LEH = window.LEH;
  var main = document.getElementById("main");
  var caseId = main.dataset.caseId;
  var canWrite = main.dataset.canWrite === "true";
  var pageData = {};
  try { pageData = JSON.parse(document.getElementById("page-data").textContent || "{}"); } catch (err) { pageData = {}; }
  var evidenceInfo = pageData.evidence || {};

  var CONCURRENCY = 4;
  var STATUS_KO = { uploading: "업로드 중", queued: "대기 중", processing: "처리 중", done: "완료", failed: "실패",
    paused: "일시 정지", deleted: "삭제됨" };
  var STAGE_KO = { extract: "텍스트 추출", analyze: "분석", index: "색인" };
  var TYPE_KO = { text: "텍스트", kakaotalk: "카카오톡", pdf: "PDF", image: "이미지", audio: "음성", video: "동영상",
    docx: "Word 문서", unknown: "확인 중" };
  var GROUND_KO = { "840-1": "부정행위", "840-2": "악의의 유기", "840-3": "배우자 등의 심히 부당한 대우",
    "840-4": "직계존속에 대한 심히 부당한 대우", "840-5": "3년 이상 생사불명", "840-6": "혼인을 계속하기 어려운 중대한 사유" };
  var TERMINAL = { done: true, failed: true, deleted: true, paused: true };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function fmtSize(n) {
    if (n < 1024) { return n + " B"; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(1) + " KB"; }
    if (n < 1024 * 1024 * 1024) { return (n / 1024 / 1024).toFixed(1) + " MB"; }
    return (n / 1024 / 1024 / 1024).toFixed(1) + " GB";
  }
  function statusText(item) {
    var text = STATUS_KO[item.status] || item.status;
    if (item.status === "processing" && item.stage) { text += " · " + (STAGE_KO[item.stage] || item.stage); }
    return text;
  }
  function evidenceUrl(evidenceId, seq) {
    return "/cases/" + caseId + "/evidence/" + evidenceId + (seq !== undefined && seq !== null ? "?seq=" + seq + "#seg-" + seq : "");
  }
  function panelStatus(node, text, isError) {
    node.textContent = text || "";
    node.classList.toggle("is-error", !!isError);
  }
  function problem(result, what) {
    var err = result.error || {};
    if (result.status === 404 && err.code !== "CASE_NOT_FOUND" && err.code !== "EVIDENCE_NOT_FOUND") {
      return what + " 기능을 지금은 사용할 수 없습니다 (서버에서 찾을 수 없음). 잠시 후 다시 시도하거나 관리자에게 문의해주세요.";
    }
    return err.message || (what + " 요청을 처리하지 못했습니다. 잠시 후 다시 시도해주세요.");
  }

  /* ------------------------------------------------------------------ evidence table + counters */
  var tableBody = document.getElementById("evidence-rows");

  function tableRow(evidenceId) {
    return tableBody ? tableBody.querySelector('tr[data-evidence-id="' + evidenceId + '"]') : null;
  }

  function buildTableRow(item) {
    var tr = el("tr");
    tr.dataset.evidenceId = item.evidence_id;
    var file = el("td", "cell-file");
    var link = el("a", "ev-name", item.filename || "");
    link.href = evidenceUrl(item.evidence_id);
    file.appendChild(link);
    file.appendChild(el("span", "muted small show-sm", TYPE_KO[item.type] || ""));
    var type = el("td", "hide-sm ev-type", TYPE_KO[item.type] || item.type || "");
    var when = el("td", "hide-sm muted small ev-when", item.event_time ? LEH.kstDateTime(item.event_time) : "—");
    var status = el("td", "ev-status");
    var grounds = el("td", "hide-sm");
    grounds.appendChild(el("div", "badges"));
    tr.append(file, type, when, status, grounds);
    var empty = tableBody.querySelector(".empty-row");
    if (empty) { empty.remove(); }
    tableBody.insertBefore(tr, tableBody.firstChild);
    return tr;
  }

  function paintTableRow(tr, item) {
    tr.dataset.status = item.status;
    var cell = tr.querySelector(".ev-status");
    cell.textContent = "";
    cell.appendChild(el("span", "badge badge-" + item.status, statusText(item)));
    if (item.status === "failed") {
      if (item.error && item.error.message) { cell.appendChild(el("div", "small text-danger ev-error", item.error.message)); }
      if (canWrite) {
        var retry = el("button", "btn btn-secondary btn-xs ev-retry", "재시도");
        retry.type = "button";
        retry.dataset.retry = item.evidence_id;
        cell.appendChild(retry);
      }
    }
    if (item.type) {
      var typeCell = tr.querySelector(".ev-type");
      if (typeCell) { typeCell.textContent = TYPE_KO[item.type] || item.type; }
    }
    if (item.event_time) {
      var when = tr.querySelector(".ev-when");
      if (when) { when.textContent = LEH.kstDateTime(item.event_time); }
    }
    if (item.grounds && item.grounds.length) {
      var chips = tr.querySelector(".badges");
      if (chips) {
        chips.textContent = "";
        item.grounds.forEach(function (g) {
          var chip = el("span", "chip", g);
          chip.title = GROUND_KO[g] || g;
          chips.appendChild(chip);
        });
      }
    }
    var info = evidenceInfo[item.evidence_id];
    if (info) {
      if (item.type) { info.type = item.type; }
      if (item.speakers && item.speakers.length) { info.speakers = item.speakers; }
    }
  }

  /** Counters come from what the page knows about every evidence, rendered in the table yet or not. */
  function refreshCounters() {
    var counts = { done: 0, active: 0, failed: 0 };
    var total = 0;
    Object.keys(evidenceInfo).forEach(function (id) {
      var s = evidenceInfo[id].status;
      if (s === "deleted") { return; }
      total++;
      if (s === "done") { counts.done++; } else if (s === "failed") { counts.failed++; }
      else if (s === "queued" || s === "processing" || s === "uploading") { counts.active++; }
    });
    var totalNode = document.querySelector('[data-testid="count-total"]');
    if (totalNode) { totalNode.textContent = total.toLocaleString("ko-KR"); }
    var count = document.getElementById("evidence-count");
    if (count) { count.textContent = total.toLocaleString("ko-KR") + "건"; }
    Object.keys(counts).forEach(function (k) {
      var dd = document.querySelector('[data-count="' + k + '"]');
      if (dd) { dd.textContent = counts[k].toLocaleString("ko-KR"); }
    });
  }

  /* ------------------------------------------------------------------ live state from the server */
  var jobsByEvidence = new Map();
  var lastSeen = new Map();
  var countersDirty = false;

  var panelsRefresh = 0;
  var refreshers = [];
  /** Timeline and draft panels read processed evidence: refresh them shortly after something finishes. */
  function scheduleRefresh() {
    window.clearTimeout(panelsRefresh);
    panelsRefresh = window.setTimeout(function () { refreshers.forEach(function (fn) { fn(); }); }, 1500);
  }

  function applyItem(item) {
    if (!item || !item.evidence_id) { return; }
    var before = evidenceInfo[item.evidence_id];
    if (item.status === "done" && (!before || before.status !== "done")) { scheduleRefresh(); }
    lastSeen.set(item.evidence_id, Date.now());
    var job = jobsByEvidence.get(item.evidence_id);
    if (job) { job.evidence = item; markDirty(job); }
    var tr = tableRow(item.evidence_id);
    var known = evidenceInfo[item.evidence_id];
    if (item.status === "deleted") {
      if (tr) { tr.remove(); }
    } else if (tableBody) {
      // New evidence goes on top; known evidence whose row is not loaded yet is only counted.
      if (!tr && !known && item.filename) { tr = buildTableRow(item); }
      if (tr) { paintTableRow(tr, item); }
    }
    if (known || item.filename) {
      evidenceInfo[item.evidence_id] = Object.assign(known || {}, {
        filename: item.filename || (known && known.filename), type: item.type || (known && known.type), status: item.status });
    }
    countersDirty = true;
    scheduleFlush();
  }

  var stream = null;
  function connect() {
    if (!window.EventSource) { return; }
    stream = new EventSource("/cases/" + caseId + "/stream");
    stream.addEventListener("open", function () { LEH.setLive("open"); });
    stream.addEventListener("status", function (event) {
      var payload;
      try { payload = JSON.parse(event.data); } catch (err) { return; }
      (payload.items || []).forEach(applyItem);
    });
    stream.addEventListener("ended", function () { stream.close(); LEH.setLive("closed"); });
    stream.addEventListener("error", function () {
      LEH.setLive(stream.readyState === 2 ? "closed" : "connecting");
    });
  }

  /** Items we wait for but have not heard about lately (finished between two stream ticks, or stream down). */
  async function pollStale() {
    var now = Date.now();
    var ids = [];
    jobsByEvidence.forEach(function (job, id) {
      var status = job.evidence ? job.evidence.status : "queued";
      if (!TERMINAL[status] && now - (lastSeen.get(id) || job.completedAt || 0) > 2500) { ids.push(id); }
    });
    if (stream && stream.readyState === 2) {
      Object.keys(evidenceInfo).forEach(function (id) {
        if (!TERMINAL[evidenceInfo[id].status] && ids.length < 200 && ids.indexOf(id) === -1) { ids.push(id); }
      });
    }
    if (!ids.length) { return; }
    var result = await LEH.api("GET", "/cases/" + caseId + "/evidence-status?ids=" + encodeURIComponent(ids.slice(0, 200).join(",")));
    if (result.ok && result.data && result.data.items) {
      Object.keys(result.data.items).forEach(function (id) { applyItem(result.data.items[id]); });
    }
  }

  async function retryEvidence(evidenceId, button) {
    if (button) { button.disabled = true; }
    var result = await LEH.api("POST", "/cases/" + caseId + "/evidence/" + evidenceId + "/retry");
    if (result.ok && result.data && result.data.item) {
      applyItem(result.data.item);
      if (button) { button.disabled = false; }  // hidden while queued; usable again if it fails again
    } else {
      if (button) { button.disabled = false; }
      window.alert(problem(result, "재시도"));
    }
  }

  document.addEventListener("click", function (event) {
    var retry = event.target.closest("button[data-retry]");
    if (retry && tableBody && tableBody.contains(retry)) { retryEvidence(retry.dataset.retry, retry); }
  });

  /* ------------------------------------------------------------------ uploads */
  var jobs = [];
  var active = 0;
  var dirty = new Set();
  var frame = 0;
  var uploadList = document.getElementById("upload-list");
  var panel = document.getElementById("upload-panel");
  var rowTemplate = document.getElementById("upload-row-template");

  function markDirty(job) { dirty.add(job); scheduleFlush(); }
  function scheduleFlush() {
    if (!frame) { frame = window.requestAnimationFrame(flush); }
  }
  function flush() {
    frame = 0;
    dirty.forEach(paintJob);
    dirty.clear();
    if (jobs.length) { paintOverall(); }
    if (countersDirty) { countersDirty = false; refreshCounters(); }
  }

  function Job(file) {
    this.file = file;
    this.state = "waiting";
    this.loaded = 0;
    this.evidenceId = null;
    this.evidence = null;
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

  function phase(job) {
    if (job.state === "tracking" && job.evidence) { return job.evidence.status; }
    return job.state;
  }

  function paintJob(job) {
    var row = job.row;
    var state = phase(job);
    row.dataset.state = state;
    if (job.evidenceId) { row.dataset.evidenceId = job.evidenceId; }
    var pct = job.file.size ? Math.round(job.loaded / job.file.size * 100) : (job.state === "waiting" ? 0 : 100);
    if (job.state === "tracking") { pct = 100; }
    var bar = row.querySelector(".progress");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.firstElementChild.style.width = pct + "%";
    var badge = row.querySelector(".ur-badge");
    var detail = row.querySelector(".ur-detail");
    var text, cls, info = "";
    if (job.state === "waiting") { text = "대기"; cls = "queued"; }
    else if (job.state === "uploading") { text = "업로드 " + pct + "%"; cls = "uploading"; }
    else if (job.state === "cancelled") { text = "취소됨"; cls = "cancelled"; }
    else if (job.state === "error") { text = "업로드 실패"; cls = "failed"; info = job.message; }
    else {
      var ev = job.evidence || { status: "queued" };
      text = statusText(ev);
      cls = ev.status;
      if (ev.status === "processing" && ev.progress) { info = Math.round(ev.progress * 100) + "%"; }
      if (ev.status === "failed" && ev.error) { info = ev.error.message; }
      if (ev.status === "paused") { info = "AI 처리 일시 정지: 관리자가 해제하면 자동으로 처리됩니다."; }
    }
    badge.className = "badge ur-badge badge-" + cls;
    badge.textContent = text;
    detail.textContent = info;
    detail.title = info;
    var cancellable = job.state === "waiting" || job.state === "uploading";
    var retriable = job.state === "error" || (job.state === "tracking" && job.evidence && job.evidence.status === "failed");
    row.querySelector(".ur-cancel").hidden = !cancellable;
    row.querySelector(".ur-retry").hidden = !retriable;
    var open = row.querySelector(".ur-open");
    open.hidden = !(job.state === "tracking" && job.evidence && job.evidence.status === "done");
    if (job.evidenceId) { open.href = evidenceUrl(job.evidenceId); }
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
        var s = job.evidence ? job.evidence.status : "queued";
        if (s === "done") { processed++; }
        if (s === "failed") { processFailed++; }
      }
      if (job.state === "error") { failed++; }
    });
    var pct = total ? Math.floor(loaded / total * 100) : (counted ? 100 : 0);
    var bar = document.getElementById("overall-bar");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.firstElementChild.style.width = pct + "%";
    var label = document.getElementById("overall-label");
    var busy = jobs.some(function (j) { return j.state === "waiting" || j.state === "uploading"; });
    label.textContent = busy ? "업로드 중 " + uploaded + " / " + counted + " · " + pct + "%"
      : "업로드 완료 " + uploaded + " / " + counted;
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
      job.completedAt = Date.now();
      jobsByEvidence.set(job.evidenceId, job);
      applyItem(done.data);
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
    if (job.evidenceId && !jobsByEvidence.has(job.evidenceId)) {
      LEH.api("DELETE", "/api/evidence/" + job.evidenceId);
    }
    job.evidenceId = null;
  }

  function cancel(job) {
    if (job.state === "waiting") {
      job.state = "cancelled";
    } else if (job.state === "uploading") {
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
    } else if (job.state === "tracking" && job.evidence && job.evidence.status === "failed") {
      retryEvidence(job.evidenceId, job.row.querySelector(".ur-retry"));
    }
  }

  function setupUpload() {
    var input = document.getElementById("file-input");
    var zone = document.getElementById("dropzone");
    if (!input || !zone) { return; }
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
        var finished = job.state === "cancelled" || (job.state === "tracking" && job.evidence && job.evidence.status === "done");
        if (finished) { job.row.remove(); if (job.evidenceId) { jobsByEvidence.delete(job.evidenceId); } }
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
  }

  /* ------------------------------------------------------------------ timeline */
  function setupTimeline() {
    var form = document.getElementById("timeline-filters");
    var list = document.getElementById("timeline-list");
    var status = document.getElementById("timeline-status");
    if (!form) { return; }

    async function load() {
      var data = new FormData(form);
      var filters = {};
      data.forEach(function (v, k) { if (v) { filters[k] = String(v); } });
      var params = new URLSearchParams();
      ["ground", "from", "to", "type", "speaker"].forEach(function (k) { if (filters[k]) { params.set(k, filters[k]); } });
      panelStatus(status, "타임라인을 불러오는 중…");
      var result = await LEH.api("GET", "/api/cases/" + caseId + "/timeline" + (params.toString() ? "?" + params : ""));
      list.textContent = "";
      if (!result.ok) { panelStatus(status, problem(result, "타임라인"), true); return; }
      var items = Array.isArray(result.data) ? result.data : (result.data && result.data.items) || [];
      items = items.filter(function (item) {
        var info = evidenceInfo[item.evidence_id] || {};
        var day = String(item.ts || "").slice(0, 10);  // the local date as written, as the server filters
        if (filters.ground && (item.grounds || []).indexOf(filters.ground) === -1) { return false; }
        if (filters.from && (!day || day < filters.from)) { return false; }
        if (filters.to && (!day || day > filters.to)) { return false; }
        if (filters.type && (item.type || info.type) !== filters.type) { return false; }
        if (filters.speaker) {
          if (item.speaker) { if (item.speaker !== filters.speaker) { return false; } }
          else if ((info.speakers || []).indexOf(filters.speaker) === -1) { return false; }
        }
        return true;
      });
      var fragment = document.createDocumentFragment();
      items.forEach(function (item) {
        var info = evidenceInfo[item.evidence_id] || { filename: item.filename, type: item.type };
        var li = el("li");
        li.dataset.date = String(item.ts || "").slice(0, 10);
        li.dataset.evidenceId = item.evidence_id || "";
        li.appendChild(el("div", "tl-date", item.ts ? String(item.ts).slice(0, 16).replace("T", " ") : "날짜 미상"));
        li.appendChild(el("p", "tl-desc", item.description || ""));
        var meta = el("div", "tl-meta");
        (item.grounds || []).forEach(function (g) {
          var chip = el("span", "chip chip-label", g + " " + (GROUND_KO[g] || ""));
          chip.dataset.ground = g;
          meta.appendChild(chip);
        });
        if (item.evidence_id) {
          var link = el("a", "", (info.filename || "증거") + (info.type ? " · " + (TYPE_KO[info.type] || info.type) : ""));
          link.href = evidenceUrl(item.evidence_id, (item.segments || [])[0]);
          meta.appendChild(link);
        }
        li.appendChild(meta);
        fragment.appendChild(li);
      });
      list.appendChild(fragment);
      var filtered = Object.keys(filters).length > 0;
      panelStatus(status, items.length ? items.length.toLocaleString("ko-KR") + "건"
        : filtered ? "조건에 맞는 내용이 없습니다." : "아직 표시할 내용이 없습니다. 증거 처리가 끝나면 자동으로 나타납니다.");
    }
    refreshers.push(load);

    form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
    form.addEventListener("reset", function () { window.setTimeout(load, 0); });
    load();
  }

  /* ------------------------------------------------------------------ search and ask */
  function setupSearch() {
    var form = document.getElementById("search-form");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    form.addEventListener("submit", async function (e) {
      e.preventDefault();
      var q = form.elements.q.value.trim();
      if (!q) { return; }
      panelStatus(status, "검색 중…");
      list.textContent = "";
      var result = await LEH.api("GET", "/api/cases/" + caseId + "/search?limit=30&q=" + encodeURIComponent(q));
      if (!result.ok) { panelStatus(status, problem(result, "검색"), true); return; }
      var hits = result.data || [];
      var fragment = document.createDocumentFragment();
      hits.forEach(function (hit) {
        var info = evidenceInfo[hit.evidence_id] || {};
        var li = el("li");
        var meta = el("div", "result-meta");
        var link = el("a", "", info.filename || "증거");
        link.href = evidenceUrl(hit.evidence_id, hit.seq);
        meta.appendChild(link);
        if (hit.ts) { meta.appendChild(el("span", "", LEH.kstDateTime(hit.ts))); }
        if (hit.speaker) { meta.appendChild(el("span", "strong", hit.speaker)); }
        (hit.grounds || []).forEach(function (g) { meta.appendChild(el("span", "chip chip-label", g)); });
        var snippet = el("div", "snippet");
        LEH.appendMarked(snippet, hit.snippet);
        li.append(meta, snippet);
        fragment.appendChild(li);
      });
      list.appendChild(fragment);
      panelStatus(status, hits.length ? "‘" + q + "’ 검색 결과 " + hits.length + "건" : "‘" + q + "’에 맞는 증거가 없습니다.");
    });
  }

  function setupAsk() {
    var form = document.getElementById("ask-form");
    var status = document.getElementById("ask-status");
    var box = document.getElementById("ask-answer");
    form.addEventListener("submit", async function (e) {
      e.preventDefault();
      var question = form.elements.question.value.trim();
      if (!question) { return; }
      var button = form.querySelector("button");
      button.disabled = true;
      panelStatus(status, "증거에서 답을 찾는 중…");
      box.hidden = true;
      var result = await LEH.api("POST", "/api/cases/" + caseId + "/ask", { question: question });
      button.disabled = false;
      if (!result.ok) { panelStatus(status, problem(result, "질문하기"), true); return; }
      panelStatus(status, "");
      box.textContent = "";
      box.appendChild(el("p", "", result.data.answer || ""));
      var citations = result.data.citations || [];
      if (citations.length) {
        box.appendChild(el("h3", "", "근거"));
        var ol = el("ol");
        citations.forEach(function (c) {
          var li = el("li");
          var link = el("a", "", (evidenceInfo[c.evidence_id] || {}).filename || "증거");
          link.href = evidenceUrl(c.evidence_id, c.seq);
          li.appendChild(link);
          if (c.snippet) { li.appendChild(document.createTextNode(" — ")); LEH.appendMarked(li, c.snippet); }
          ol.appendChild(li);
        });
        box.appendChild(ol);
      }
      box.hidden = false;
    });
  }

  /* ------------------------------------------------------------------ draft */
  function setupDraft() {
    var status = document.getElementById("draft-status");
    var preview = document.getElementById("draft-preview");
    var historyBox = document.getElementById("draft-history");
    var historyList = document.getElementById("draft-history-list");
    var generate = document.getElementById("draft-generate");
    var download = document.getElementById("draft-download");
    var claimsForm = document.getElementById("draft-claims");
    var history = [];
    var current = null;

    function show(draft) {
      current = draft;
      preview.textContent = "";
      var head = draft.heading || {};
      if (draft.stale) {
        preview.appendChild(el("p", "draft-note", "이 초안을 만든 뒤 증거가 바뀌었습니다. 최신 증거를 반영하려면 다시 생성하세요."));
      }
      if (head.notice) { preview.appendChild(el("p", "draft-note", head.notice)); }
      if (head.title) { preview.appendChild(el("h3", "draft-title", head.title)); }
      if (head.case_name) { preview.appendChild(el("p", "draft-case", head.case_name)); }
      var sections = draft.sections || [];
      if (sections.length) {
        sections.forEach(function (s) {
          preview.appendChild(el("h3", "", s.title || ""));
          (s.paragraphs || []).forEach(function (p) { preview.appendChild(el("p", "", typeof p === "string" ? p : (p.text || ""))); });
        });
      } else {
        preview.appendChild(el("p", "prewrap", draft.draft_text || ""));
      }
      (draft.closing || []).forEach(function (line) { preview.appendChild(el("p", "draft-closing", line)); });
      preview.hidden = false;
      paintHistory();
    }

    function paintHistory() {
      historyList.textContent = "";
      history.forEach(function (d) {
        var li = el("li");
        var b = el("button", "", d.generated_at ? LEH.kstDateTime(d.generated_at) : "초안");
        b.type = "button";
        b.addEventListener("click", function () { open(d.draft_id); });
        li.appendChild(b);
        var meta = [];
        if (d.created_by_email) { meta.push(d.created_by_email); }
        if (d.exhibit_count !== undefined) { meta.push("증거 " + d.exhibit_count + "건"); }
        if (current && current.draft_id === d.draft_id) { meta.push("표시 중"); }
        if (meta.length) { li.appendChild(el("span", "muted", " · " + meta.join(" · "))); }
        historyList.appendChild(li);
      });
      historyBox.hidden = history.length === 0;
    }

    async function loadHistory() {
      var result = await LEH.api("GET", "/api/cases/" + caseId + "/drafts");
      history = result.ok && Array.isArray(result.data) ? result.data : [];
      paintHistory();
    }

    async function open(draftId) {
      panelStatus(status, "초안을 불러오는 중…");
      var result = await LEH.api("GET", "/api/cases/" + caseId + "/drafts/" + encodeURIComponent(draftId));
      if (!result.ok) { panelStatus(status, problem(result, "소장 초안"), true); return; }
      panelStatus(status, "");
      show(result.data);
    }

    async function loadLatest() {
      var result = await LEH.api("GET", "/api/cases/" + caseId + "/draft-preview");
      if (result.ok) { show(result.data); loadHistory(); return; }
      if (result.error && result.error.code === "DRAFT_NOT_FOUND") {
        panelStatus(status, "아직 생성한 초안이 없습니다.");
      } else {
        panelStatus(status, problem(result, "소장 초안"), result.status !== 400);
      }
    }

    if (generate) {
      generate.addEventListener("click", async function () {
        var claims = {};
        if (claimsForm) {
          claimsForm.querySelectorAll("input[type=checkbox]").forEach(function (box) { claims[box.name] = box.checked; });
        }
        generate.disabled = true;
        panelStatus(status, "초안을 만드는 중… 증거가 많으면 시간이 걸릴 수 있습니다.");
        var result = await LEH.api("POST", "/api/cases/" + caseId + "/draft-preview", { claims: claims });
        generate.disabled = false;
        if (!result.ok) { panelStatus(status, problem(result, "소장 초안"), true); return; }
        show(result.data);
        panelStatus(status, "초안을 만들었습니다. 변호사의 검토 후 사용하세요.");
        loadHistory();
      });
    }

    download.addEventListener("click", async function () {
      download.disabled = true;
      panelStatus(status, "Word 파일을 준비하는 중…");
      var url = "/api/cases/" + caseId + "/draft-export" + (current && current.draft_id ? "?draft_id=" + encodeURIComponent(current.draft_id) : "");
      var result = await LEH.api("GET", url);
      download.disabled = false;
      if (!result.ok) { panelStatus(status, problem(result, "초안 다운로드"), true); return; }
      var blob = await result.response.blob();
      var name = "소장_초안.docx";
      var disposition = result.response.headers.get("content-disposition") || "";
      var star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
      var plain = /filename="?([^";]+)"?/i.exec(disposition);
      if (star) { name = decodeURIComponent(star[1]); } else if (plain) { name = plain[1]; }
      var a = el("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      panelStatus(status, "‘" + name + "’을(를) 내려받았습니다.");
    });

    refreshers.push(function () { if (!current) { loadLatest(); } });
    loadLatest();
  }

  /* ------------------------------------------------------------------ start */
  if (canWrite && rowTemplate) { setupUpload(); }
  setupTimeline();
  setupSearch();
  setupAsk();
  setupDraft();
  connect();
  window.setInterval(pollStale, 2500);
})();
