// node --experimental-websocket t/lib/play-in-chromium.js URL [SECONDS] [seek]
// Opens URL in headless Chromium (Debian's /usr/bin/chromium) and reads the
// page's <video> element through the DevTools protocol every half second
// for SECONDS (default 20). Prints one JSON line:
//   {"times":[...currentTime readings...],"status":"...","error":null}
// With "seek" (a recording): once it plays, it seeks to the middle, then
// to 1.5 s before the end and waits for the end; the line also has
//   "duration", "seeks":[{"to":T,"at":currentTime a second later}], "ended"
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
  try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 }); } catch (e) { /* Chromium's last writes */ }
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
  if (process.argv[4] === 'seek') return seekThrough(call, deadline);
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

// Play, seek to the middle, seek to near the end, wait for 'ended'.
async function seekThrough(call, deadline) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const read = async (expr) => {
    const r = await call('Runtime.evaluate', { returnByValue: true, expression:
      "(function(){var v=document.querySelector('video'),s=document.getElementById('status');" +
      (expr || '') + "return {t: v ? v.currentTime : -1, d: v ? v.duration : -1, e: v ? v.ended : false," +
      " s: s ? s.textContent : null};})()" });
    const v = r.result && r.result.result && r.result.result.value;
    if (v) { result.times.push(v.t); result.status = v.s; result.duration = v.d; result.ended = v.e; }
    return v || { t: -1, d: -1, e: false };
  };
  result.seeks = [];
  let v = await read();
  while (Date.now() < deadline && !(v.t > 1 && v.d > 0)) { await sleep(500); v = await read(); }
  if (!(v.t > 1)) return;
  for (const to of [v.d / 2, Math.max(v.d - 1.5, 0)]) {
    await read('v.currentTime=' + to + ';v.play().catch(function(){});');
    await sleep(1000);
    v = await read();
    result.seeks.push({ to: to, at: v.t });
  }
  while (Date.now() < deadline && !v.e) { await sleep(500); v = await read(); }
}
