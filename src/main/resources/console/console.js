// The console's only script: it refreshes #live every few seconds, and sends pause, resume and replay with the
// operator token, asked for once and kept for this tab only (sessionStorage).
(function () {
  'use strict';
  var REFRESH_MS = 5000;
  var token = document.getElementById('token');
  var said = document.getElementById('said');
  if (token) {
    token.value = sessionStorage.getItem('mphub-token') || '';
    token.addEventListener('input', function () { sessionStorage.setItem('mphub-token', token.value); });
  }

  function say(text, bad) {
    said.textContent = text;
    said.className = bad ? 'bad' : 'ok';
  }

  function refresh() {
    return fetch(location.href, { cache: 'no-store' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var live = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        if (live) document.getElementById('live').replaceWith(live);
      })
      .catch(function () { say('The hub does not answer; retrying.', true); });
  }

  function act(path, body, done) {
    if (!token || !token.value) {
      say('Enter the operator token first.', true);
      if (token) token.focus();
      return;
    }
    fetch(path, {
      method: 'POST',
      headers: { 'authorization': 'Bearer ' + token.value, 'content-type': 'application/json' },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (answer) {
        if (r.ok) say(done(answer)); else say(answer.message || ('HTTP ' + r.status), true);
        return refresh();
      });
    }).catch(function (e) { say('Not sent: ' + e, true); });
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-action]');
    if (!b) return;
    var d = b.getAttribute('data-destination');
    var action = b.getAttribute('data-action');
    act('/api/destinations/' + encodeURIComponent(d) + '/' + action, { why: 'paused from the console' },
      function () { return d + (action === 'pause' ? ' paused.' : ' resumed.'); });
  });

  var replay = document.getElementById('replay');
  if (replay) {
    replay.addEventListener('submit', function (e) {
      e.preventDefault();
      var f = replay.elements;
      var body = { reason: f.reason.value, since: f.since.value, until: f.until.value, dryRun: f.dryRun.checked };
      if (f.destination.value) body.destination = f.destination.value; else body.ingest = true;
      act('/api/replays', body, function (answer) { return 'Replay ' + answer.id + ' started.'; });
    });
  }

  setInterval(refresh, REFRESH_MS);
})();
