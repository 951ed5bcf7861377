/* LEH evidence page: play the original from a segment's time, retry a failed evidence. */
(function () {
  "use strict";

  var main = document.getElementById("main");
  var caseId = main.dataset.caseId;

  document.addEventListener("click", async function (event) {
    var seek = event.target.closest("button.seek");
    if (seek) {
      var media = document.getElementById("original-media");
      if (!media) { return; }
      media.currentTime = parseFloat(seek.dataset.start) || 0;
      media.play().catch(function () { /* the browser may refuse autoplay; the position is still set */ });
      media.scrollIntoView({ block: "nearest" });
      return;
    }
    var retry = event.target.closest("button[data-retry]");
    if (retry) {
      retry.disabled = true;
      var result = await window.LEH.api("POST", "/cases/" + caseId + "/evidence/" + retry.dataset.retry + "/retry");
      if (result.ok) {
        window.location.reload();
      } else {
        retry.disabled = false;
        window.alert((result.error && result.error.message) || "재시도하지 못했습니다. 새로고침 후 다시 시도해주세요.");
      }
    }
  });
})();
