// node --experimental-websocket t/lib/csrf-in-chromium.js LOGIN USER PASSWORD PAGE [SECONDS]
// A person's browser (Debian's headless /usr/bin/chromium, fresh profile):
// it signs in at LOGIN with HTTP Basic (the credentials given the way a
// person types them into the browser's prompt, through the DevTools
// protocol's Fetch.authRequired), then opens PAGE, which may submit forms
// or fetch() elsewhere.  Waits until the page shows a #result element or
// has navigated away, for at most SECONDS (default 15), and prints one
// JSON line: {"prompts":[urls of 401 challenges answered],"href":"...",
// "text":"...the document's text...","error":null}.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [login, user, password, page] = process.argv.slice(2, 6);
const seconds = Number(process.argv[6] || 15);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-chromium-'));
const chrome = spawn('/usr/bin/chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1',
  '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });

const result = { prompts: [], href: null, text: null, error: null };
let finishing = false;
function finish(code) {
  if (finishing) return;
  finishing = true;
  console.log(JSON.stringify(result));
  // the profile goes once Chromium has exited (it writes to it until then)
  const cleanup = () => {
    try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }); } catch (e) { /* left in /tmp */ }
    process.exit(code);
  };
  if (chrome.exitCode !== null || chrome.signalCode !== null) { cleanup(); return; }
  chrome.on('exit', cleanup);
  setTimeout(cleanup, 3000);
  try { chrome.kill('SIGKILL'); } catch (e) { cleanup(); }
}
setTimeout(() => { result.error = 'overall timeout'; finish(1); }, (2 * seconds + 30) * 1000);

let stderr = '';
let started = false;
chrome.stderr.on('data', async (chunk) => {
  stderr += chunk;
  const m = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
  if (!m || started) return;
  started = true;
  try { await drive(m[1]); finish(0); } catch (e) { result.error = String(e); finish(1); }
});
chrome.on('exit', () => { if (!started && !finishing) { result.error = 'chromium exited: ' + stderr.slice(-500); finish(1); } });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function drive(browserWs) {
  const port = new URL(browserWs).port;
  const t = await (await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: 'PUT' })).json();
  const ws = new WebSocket(t.webSocketDebuggerUrl);
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  let id = 0;
  const pending = new Map();
  const send = (method, params) => new Promise((res) => {
    const n = ++id; pending.set(n, res); ws.send(JSON.stringify({ id: n, method, params }));
  });
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); return; }
    if (msg.method === 'Fetch.requestPaused') {
      send('Fetch.continueRequest', { requestId: msg.params.requestId });
    } else if (msg.method === 'Fetch.authRequired') {
      result.prompts.push(msg.params.request.url);
      send('Fetch.continueWithAuth', { requestId: msg.params.requestId,
        authChallengeResponse: { response: 'ProvideCredentials', username: user, password } });
    }
  };
  const evaluate = async (expression) => {
    const r = await send('Runtime.evaluate', { expression, returnByValue: true });
    return r.result && r.result.result ? r.result.result.value : undefined;
  };
  await send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  await send('Page.enable', {});

  // sign in: the browser now holds the credentials for that site
  await send('Page.navigate', { url: login });
  for (let i = 0; i < seconds * 5; i++) {
    await sleep(200);
    const s = await evaluate('location.href + " " + document.readyState');
    if (s === `${login} complete`) break;
  }
  const prompts = result.prompts.length;
  if (prompts === 0) throw new Error('the sign-in page asked for no credentials');

  // the page under test
  await send('Page.navigate', { url: page });
  for (let i = 0; i < seconds * 5; i++) {
    await sleep(200);
    const v = await evaluate("({href: location.href, ready: document.readyState," +
      " result: document.getElementById('result') ? document.getElementById('result').textContent : null," +
      " text: document.body ? document.body.innerText : ''})");
    if (!v) continue;
    result.href = v.href;
    if (v.result !== null) { result.text = v.result; break; }
    if (v.href !== page && v.ready === 'complete') { result.text = v.text; break; }
  }
  ws.close();
}
