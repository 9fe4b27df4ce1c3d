// Live coverage: every 30 seconds, ask whether updates were posted since the newest this page
// shows, say "N new updates" and insert them when the reader asks. The page is complete
// without this file; it only saves a reload. The fragment is the server's sanitized HTML.
(function () {
  "use strict";
  var POLL_MS = 30000;
  var section = document.querySelector("[data-live-endpoint]");
  var stream = section && section.querySelector("[data-live-stream]");
  if (!section || !stream || !window.fetch) {
    return;
  }
  var endpoint = section.getAttribute("data-live-endpoint");
  var latest = section.getAttribute("data-live-latest") || "0";
  var pending = null;

  var notice = document.createElement("div");
  notice.className = "live__notice";
  notice.setAttribute("role", "status");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "live__show";
  button.hidden = true;
  notice.appendChild(button);
  section.insertBefore(notice, section.querySelector(".live__pinned") || stream);

  function show(data) {
    pending = data;
    var label = data.count === 1 ? "1 new update" : data.count + " new updates";
    button.textContent = label + ": show";
    button.hidden = false;
  }

  function insert() {
    if (!pending) {
      return;
    }
    if (!pending.complete) {
      window.location.reload();
      return;
    }
    var fragment = document.createRange().createContextualFragment(pending.html);
    var first = fragment.firstElementChild;
    stream.insertBefore(fragment, stream.firstChild);
    latest = String(pending.latest);
    pending = null;
    button.hidden = true;
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function poll() {
    var url = endpoint + "?after=" + encodeURIComponent(latest);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.count > 0 && String(data.latest) !== latest) {
          show(data);
        }
        if (!data || data.running) {
          window.setTimeout(poll, POLL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(poll, POLL_MS);
      });
  }

  button.addEventListener("click", insert);
  window.setTimeout(poll, POLL_MS);
})();
