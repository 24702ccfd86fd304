/* The meeting page: starts the Jitsi IFrame API with the settings the server put in data- attributes.
   Without the API (blocked, offline, no JavaScript) the fallback explanation stays visible. */
(function () {
  "use strict";
  var node = document.getElementById("jitsi-meeting");
  var fallback = document.getElementById("jitsi-fallback");
  if (!node) { return; }
  if (typeof window.JitsiMeetExternalAPI !== "function") { return; }
  var data = node.dataset;
  var config = {};
  try { config = JSON.parse(data.config || "{}"); } catch (e) { config = {}; }
  var options = {
    roomName: data.room,
    parentNode: node,
    width: "100%",
    height: "100%",
    lang: data.lang || "en",
    userInfo: { displayName: data.name || "", email: data.email || "" },
    configOverwrite: config,
    interfaceConfigOverwrite: {}
  };
  if (data.jwt) { options.jwt = data.jwt; }
  var api;
  try {
    api = new window.JitsiMeetExternalAPI(data.domain, options);
  } catch (e) {
    return;
  }
  if (fallback) { fallback.hidden = true; }
  node.classList.add("is-live");
  var frame = api.getIFrame ? api.getIFrame() : node.querySelector("iframe");
  if (frame && data.allow) { frame.setAttribute("allow", data.allow); }
  if (data.avatar && api.executeCommand) { api.executeCommand("avatarUrl", data.avatar); }
  if (api.addListener) {
    api.addListener("videoConferenceJoined", function () {
      if (data.moderator === "true" && data.lobby === "true") { api.executeCommand("toggleLobby", true); }
    });
    api.addListener("readyToClose", function () { window.location.assign(data.leaveUrl || "/"); });
    api.addListener("errorOccurred", function () {
      if (fallback) { fallback.hidden = false; }
    });
  }
})();
