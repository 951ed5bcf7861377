/* LEH — behaviour shared by every page: CSRF on htmx and fetch, dialogs, live-connection indicator. */
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /** Calls the JSON API with the session cookie and CSRF header; resolves to {ok, status, data, error, response}. */
  async function api(method, url, body) {
    var init = { method: method, credentials: "same-origin", headers: { "x-csrf-token": csrf(), "accept": "application/json" } };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      return { ok: false, status: 0, data: null, response: null,
        error: { code: "NETWORK", message: "서버에 연결할 수 없습니다. 인터넷 연결을 확인한 뒤 다시 시도해주세요." } };
    }
    var payload = null;
    var type = response.headers.get("content-type") || "";
    if (type.indexOf("application/json") !== -1) {
      try { payload = await response.json(); } catch (err) { payload = null; }
    }
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname + window.location.search) + window.location.hash);
    }
    if (response.ok) {
      return { ok: true, status: response.status, data: payload && "data" in payload ? payload.data : payload, error: null, response: response };
    }
    var error = (payload && payload.error) || { code: "HTTP_" + response.status, message: "요청을 처리하지 못했습니다 (" + response.status + ")." };
    return { ok: false, status: response.status, data: null, error: error, response: response };
  }

  /** Renders an HTML snippet whose only markup is <mark> (search hits) without trusting any other markup. */
  function appendMarked(parent, html) {
    var doc = new DOMParser().parseFromString("<div>" + String(html || "") + "</div>", "text/html");
    var root = doc.body.firstChild;
    (function walk(node, into) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          into.appendChild(document.createTextNode(child.textContent));
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.nodeName === "MARK") {
            var mark = document.createElement("mark");
            mark.textContent = child.textContent;
            into.appendChild(mark);
          } else {
            walk(child, into);
          }
        }
      });
    })(root, parent);
  }

  var seoulDate = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Seoul", year: "numeric", month: "2-digit", day: "2-digit" });
  var seoulTime = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Seoul", hour: "2-digit", minute: "2-digit", hour12: false });

  /** "2023-12-25" and "2023-12-25 22:20" in Korean time, from an ISO timestamp (naive ones are taken as written). */
  function kstDate(iso) {
    if (!iso) { return ""; }
    if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) { return iso.slice(0, 10); }
    var d = new Date(iso);
    return isNaN(d) ? iso.slice(0, 10) : seoulDate.format(d);
  }
  function kstDateTime(iso) {
    if (!iso) { return ""; }
    if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) { return iso.slice(0, 16).replace("T", " "); }
    var d = new Date(iso);
    if (isNaN(d)) { return iso; }
    var hasTime = /T\d\d:\d\d/.test(iso);
    return seoulDate.format(d) + (hasTime ? " " + seoulTime.format(d) : "");
  }

  window.LEH = { csrf: csrf, api: api, appendMarked: appendMarked, kstDate: kstDate, kstDateTime: kstDateTime };

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["x-csrf-token"] = csrf();
  });

  // A panel that failed answers with its own HTML explaining why (code and Korean message): show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.getResponseHeader("x-leh-partial") === "error") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Anything else that fails (network, server error) is said next to the control that asked.
  function requestFailed(event) {
    var elt = event.detail && event.detail.elt;
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.getResponseHeader("x-leh-partial") === "error") { return; }
    var status = elt && elt.closest && elt.closest("section");
    status = status && status.querySelector("[role=status]");
    var message = xhr && xhr.status ? "요청을 처리하지 못했습니다 (" + xhr.status + "). 잠시 후 다시 시도하거나 새로고침해주세요."
      : "서버에 연결할 수 없습니다. 인터넷 연결을 확인한 뒤 다시 시도해주세요.";
    if (status) { status.textContent = message; status.classList.add("is-error"); } else { window.alert(message); }
  }
  document.addEventListener("htmx:responseError", requestFailed);
  document.addEventListener("htmx:sendError", requestFailed);

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && typeof dialog.showModal === "function") { dialog.showModal(); }
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      var d = closer.closest("dialog");
      if (d) { d.close(); }
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
  });

  document.addEventListener("submit", function (event) {
    // One click, one request: a second press while the first form post is on its way does nothing.
    var form = event.target;
    if (form.method && form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-lock")) {
      if (form.dataset.submitting === "1") { event.preventDefault(); return; }
      form.dataset.submitting = "1";
    }
  });

  function setLive(state) {
    var dot = document.getElementById("live-indicator");
    if (!dot) { return; }
    dot.setAttribute("data-state", state);
    dot.textContent = state === "open" ? "실시간 연결됨" : state === "closed" ? "연결 끊김 · 새로고침해주세요" : "연결 중…";
  }
  window.LEH.setLive = setLive;
  document.addEventListener("htmx:sseOpen", function () { setLive("open"); });
  document.addEventListener("htmx:sseError", function (event) {
    var source = event.detail && event.detail.source;
    setLive(source && source.readyState === 2 ? "closed" : "connecting");
  });
  document.addEventListener("htmx:sseClose", function () { setLive("closed"); });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("dialog[data-open-on-load]").forEach(function (d) { d.showModal(); });
    keepFragmentThroughLogin();
  });

  // The server never sees a URL's #fragment: a deep link (/cases/…#seg-17) redirected to /login keeps it only in the
  // browser's address bar. Put it on the `next` the login form posts, so the page after login scrolls to it.
  function keepFragmentThroughLogin() {
    var next = document.querySelector('form[action="/login"] input[name="next"]');
    var hash = window.location.hash;
    if (!next || !/^#[A-Za-z0-9_:.-]{1,100}$/.test(hash) || next.value.indexOf("#") !== -1) { return; }
    next.value += hash;
  }
})();
