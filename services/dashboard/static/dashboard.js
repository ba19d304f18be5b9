// The dashboard's only script: it keeps the page current without reloading it. The page
// is complete without it; with it, one EventSource (Server-Sent Events) receives each
// region's new markup, rendered and escaped by the server, and a one-second timer keeps
// ages and lease countdowns moving. No polling: the server pushes every change.
(function () {
  'use strict';
  var body = document.body;
  var liveUrl = body.getAttribute('data-live');
  var status = document.getElementById('live-status');

  function say(state, text) {
    if (!status) return;
    status.setAttribute('data-state', state);
    status.textContent = text;
  }

  function duration(ms) {
    var abs = Math.abs(ms);
    if (abs < 1000) return Math.round(abs) + ' ms';
    var s = Math.floor(abs / 1000);
    if (s < 60) return s + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + (s % 60) + ' s';
    var h = Math.floor(m / 60);
    if (h < 24) return h + ' h ' + (m % 60) + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function tick() {
    var now = Date.now();
    var ages = document.querySelectorAll('[data-age]');
    for (var i = 0; i < ages.length; i++) {
      var at = Number(ages[i].getAttribute('data-age'));
      ages[i].textContent = duration(now - at) + ' ago';
      var cell = ages[i].closest('[data-silent-after]');
      if (cell) cell.classList.toggle('silent', now - at > Number(cell.getAttribute('data-silent-after')));
    }
    var countdowns = document.querySelectorAll('[data-countdown]');
    for (var j = 0; j < countdowns.length; j++) {
      var left = Number(countdowns[j].getAttribute('data-countdown')) - now;
      countdowns[j].textContent = left >= 0 ? duration(left) + ' left' : 'expired ' + duration(-left) + ' ago';
      countdowns[j].classList.toggle('expired', left < 0);
    }
  }

  tick();
  setInterval(tick, 1000);

  if (!liveUrl || typeof EventSource === 'undefined') return;
  var source = new EventSource(liveUrl);
  say('connecting', 'Connecting…');
  source.addEventListener('open', function () {
    say('live', 'Live');
  });
  source.addEventListener('error', function () {
    say(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting',
      source.readyState === EventSource.CLOSED ? 'Disconnected: reload the page' : 'Reconnecting…');
  });
  source.addEventListener('region', function (event) {
    var update = JSON.parse(event.data);
    var region = document.getElementById(update.id);
    if (!region) return;
    // Keep the open/closed state of details the reader opened, and the focus if it can be found again.
    var open = {};
    var details = region.querySelectorAll('details[data-id]');
    for (var i = 0; i < details.length; i++) open[details[i].getAttribute('data-id')] = details[i].open;
    var focused = document.activeElement && region.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
    region.innerHTML = update.html;
    var again = region.querySelectorAll('details[data-id]');
    for (var j = 0; j < again.length; j++) {
      var id = again[j].getAttribute('data-id');
      if (id in open) again[j].open = open[id];
    }
    if (focused) {
      var target = region.querySelector('a[href="' + CSS.escape(focused) + '"]');
      if (target) target.focus();
    }
    tick();
    body.setAttribute('data-updated', String(Date.now()));
  });
})();
