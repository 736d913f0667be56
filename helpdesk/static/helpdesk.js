// Live updates for the helpdesk: Server-Sent Events, or polling where they are not available. No framework.
(function () {
  "use strict";
  var body = document.body;
  var source = body.getAttribute("data-live");
  var target = document.getElementById(body.getAttribute("data-live-target") || "");
  var conversation = body.getAttribute("data-conversation");
  var titleBase = body.getAttribute("data-title-base");
  var timer = null, polling = null;

  // Canned replies fill the composer; the staff member can still edit before sending.
  var canned = document.getElementById("canned");
  var text = document.getElementById("reply-text");
  if (canned && text) {
    canned.addEventListener("change", function () {
      var option = canned.options[canned.selectedIndex];
      if (option && option.getAttribute("data-body")) { text.value = option.getAttribute("data-body"); text.focus(); }
    });
  }

  // Waiting times tick without a reload (issue 19, m20): each <time data-since> counts from the server's clock
  // (data-now on <main>), in the words of the server's "ago" filter; rows the live updates bring in tick too.
  var clockRoot = document.querySelector("[data-now]");
  if (clockRoot) {
    var skew = Date.parse(clockRoot.getAttribute("data-now")) - Date.now();
    var ago = function (ms) {
      var seconds = Math.max(0, Math.floor(ms / 1000));
      if (seconds < 60) return seconds + " s";
      var minutes = Math.floor(seconds / 60);
      if (minutes < 60) return minutes + " min";
      var hours = Math.floor(minutes / 60);
      if (hours < 48) return hours + " h " + (minutes % 60) + " min";
      return Math.floor(hours / 24) + " d";
    };
    var tick = function () {
      var now = Date.now() + skew;
      var clocks = document.querySelectorAll("time[data-since]");
      for (var i = 0; i < clocks.length; i++) {
        var since = Date.parse(clocks[i].getAttribute("data-since"));
        if (!isNaN(since)) clocks[i].textContent = ago(now - since);
      }
    };
    if (!isNaN(skew)) setInterval(tick, 1000);
  }

  function scrollDown() {
    if (target && target.classList.contains("transcript")) target.scrollTop = target.scrollHeight;
  }
  scrollDown();
  if (!source || !target) return;

  function refresh() {
    fetch(source, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        target.innerHTML = html;
        var count = target.querySelector("[data-count]");
        if (count) {
          var n = count.getAttribute("data-count");
          var badge = document.getElementById("queue-count");
          if (badge) badge.textContent = n;
          if (titleBase) document.title = "(" + n + ") " + titleBase;
        }
        scrollDown();
      })
      .catch(function () {});
  }
  function soon() { if (!timer) timer = setTimeout(function () { timer = null; refresh(); }, 150); }
  function poll() { if (!polling) polling = setInterval(refresh, 5000); }

  if (!window.EventSource) { poll(); return; }
  var failures = 0;
  var events = new EventSource(body.getAttribute("data-events") || "/helpdesk/events");
  events.onopen = function () { failures = 0; };
  events.onmessage = function (e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    if (!conversation || String(data.conversation_id) === conversation) soon();
  };
  events.onerror = function () {
    failures += 1;
    if (events.readyState === EventSource.CLOSED || failures > 3) { events.close(); poll(); }
  };
})();
