// node --experimental-websocket t/lib/play-in-chromium.js URL [SECONDS]
// Opens URL in headless Chromium (Debian's /usr/bin/chromium) and reads the
// page's <video> element through the DevTools protocol every half second
// for SECONDS (default 20). Prints one JSON line:
//   {"times":[...currentTime readings...],"status":"...","error":null}
// Loopback only; Chromium is started with a fresh profile and killed at the end.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const url = process.argv[2];
const seconds = Number(process.argv[3] || 20);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-chromium-'));
const chrome = spawn('/usr/bin/chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required', '--mute-audio',
  `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });

const result = { times: [], status: null, error: null };
function finish(code) {
  try { chrome.kill('SIGKILL'); } catch (e) { /* gone */ }
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(JSON.stringify(result));
  process.exit(code);
}
setTimeout(() => { result.error = 'overall timeout'; finish(1); }, (seconds + 30) * 1000);

let stderr = '';
chrome.stderr.on('data', async (chunk) => {
  stderr += chunk;
  const m = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
  if (!m || result.started) return;
  result.started = true;
  try { await drive(m[1]); finish(0); } catch (e) { result.error = String(e); finish(1); }
});
chrome.on('exit', () => { if (!result.started) { result.error = 'chromium exited: ' + stderr.slice(-500); finish(1); } });

async function drive(browserWs) {
  const port = new URL(browserWs).port;
  const t = await (await fetch(`http://127.0.0.1:${port}/json/new?${encodeURI(url)}`, { method: 'PUT' })).json();
  const ws = new WebSocket(t.webSocketDebuggerUrl);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  };
  const call = (method, params) => new Promise((res) => {
    const n = ++id; pending.set(n, res); ws.send(JSON.stringify({ id: n, method, params }));
  });
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const r = await call('Runtime.evaluate', { returnByValue: true, expression:
      "(function(){var v=document.querySelector('video'),s=document.getElementById('status');" +
      "return {t: v ? v.currentTime : -1, s: s ? s.textContent : null};})()" });
    const v = r.result && r.result.result && r.result.result.value;
    if (v) { result.times.push(v.t); result.status = v.s; }
    const n = result.times.length;
    if (n >= 3 && result.times[n - 1] > 2 && result.times[n - 1] > result.times[n - 3]) break;
  }
  ws.close();
}
