/* The live part of the ticket and hall pages: server-sent events swap in the fragment the
   server rendered; a call makes the phone vibrate and ring (once the resident allowed it). */
(function () {
  "use strict";
  var url = document.body.getAttribute("data-live");
  var live = document.getElementById("live");
  if (!url || !live || !window.EventSource) {
    return;
  }
  var offline = document.getElementById("offline");
  var alertsButton = document.getElementById("alerts");
  var alertsOn = document.getElementById("alerts-on");
  var section = live.querySelector(".ticket");
  var lastState = section ? section.getAttribute("data-state") : null;
  var lastCalls = section ? Number(section.getAttribute("data-calls")) : 0;
  var audio = null;
  var source = null;
  var retryMs = 1000;
  var timer = null;

  function setOffline(on) {
    if (offline) {
      offline.hidden = !on;
    }
  }

  function beep() {
    if (!audio || audio.state !== "running") {
      return;
    }
    var start = audio.currentTime;
    for (var i = 0; i < 3; i++) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + i * 0.5);
      gain.gain.exponentialRampToValueAtTime(0.5, start + i * 0.5 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.5 + 0.35);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(start + i * 0.5);
      osc.stop(start + i * 0.5 + 0.4);
    }
  }

  function alertResident() {
    if (navigator.vibrate) {
      try {
        navigator.vibrate([400, 150, 400, 150, 400]);
      } catch (e) { /* not allowed here */ }
    }
    beep();
  }

  var AudioCtx = window.AudioContext || window.webkitAudioContext;
  if (alertsButton && (navigator.vibrate || AudioCtx)) {
    alertsButton.hidden = false;
    alertsButton.addEventListener("click", function () {
      if (AudioCtx && !audio) {
        audio = new AudioCtx();
      }
      if (audio && audio.state === "suspended") {
        audio.resume();
      }
      if (navigator.vibrate) {
        navigator.vibrate(60);
      }
      alertsButton.hidden = true;
      if (alertsOn) {
        alertsOn.hidden = false;
      }
    });
  }

  function apply(data) {
    if (typeof data.html === "string") {
      live.innerHTML = data.html;
    }
    if (data.state) {
      var calls = Number(data.calls) || 0;
      if (data.state === "called" && (lastState !== "called" || calls > lastCalls)) {
        alertResident();
      }
      lastState = data.state;
      lastCalls = calls;
    }
  }

  function connect() {
    source = new EventSource(url);
    source.onopen = function () {
      setOffline(false);
      retryMs = 1000;
    };
    source.onmessage = function (event) {
      setOffline(false);
      try {
        apply(JSON.parse(event.data));
      } catch (e) { /* one bad message: keep the page as it is */ }
    };
    source.onerror = function () {
      setOffline(true);
      if (source.readyState === 2) { /* closed for good (a refused stream): try again later */
        source.close();
        clearTimeout(timer);
        timer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 15000);
      }
    };
  }

  connect();
})();
