// First-party analytics beacon: loaded only after analytics consent; the server checks consent again.
(function () {
  "use strict";
  var script = document.getElementById("privacy-beacon");
  if (!script) { return; }
  var endpoint = script.getAttribute("data-endpoint");
  var body = JSON.stringify({ path: window.location.pathname });
  if (navigator.sendBeacon) {
    navigator.sendBeacon(endpoint, new Blob([body], { type: "application/json" }));
  } else {
    fetch(endpoint, { method: "POST", body: body, credentials: "same-origin", headers: { "Content-Type": "application/json" } });
  }
})();
