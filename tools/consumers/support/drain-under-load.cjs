// A drain under load, as a consumer project's own test runs it: starts the built app as a child
// process (`node <main>` with PORT=0), keeps keep-alive clients busy with fast requests and a few
// slow ones, sends SIGTERM, and records what every request got. The runner copies this file into
// each consumer project (test-support/), so CommonJS (Jest) and ES module (node:test) tests share it.
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');

const LISTENING = /listening on (http:\/\/\S+)/;

function get(url, agent) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, connection: res.headers.connection, body }),
      );
      res.on('error', (error) => resolve({ error: error.code || error.message }));
    });
    req.on('error', (error) => resolve({ error: error.code || error.message }));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {object} options
 * @param {string} options.main the built entry point, e.g. dist/main.js
 * @param {number} options.delayMs SHUTDOWN_DELAY_MS given to the app
 * @param {number} [options.clients] concurrent keep-alive clients sending fast requests
 * @param {number} [options.slow] requests of 1 s in flight when SIGTERM arrives
 */
async function drainUnderLoad({ main, delayMs, clients = 16, slow = 8 }) {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: '0',
      SHUTDOWN_DELAY_MS: String(delayMs),
      SHUTDOWN_TIMEOUT_MS: '5000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = LISTENING.exec(output);
      if (match) resolve(match[1].replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    exited.then(() => reject(new Error(`the app exited before listening:\n${output}`)));
  });
  const readyBefore = await get(`${base}/ready`);

  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const fast = [];
  let sending = true;
  const loops = Array.from({ length: clients }, async () => {
    while (sending) fast.push({ ...(await get(`${base}/`, agent)), afterSigterm: signalled });
  });
  let signalled = false;
  await sleep(300);
  const slowRequests = Array.from({ length: slow }, () => get(`${base}/slow?ms=1000`));
  await sleep(100);
  const sentAt = Date.now();
  child.kill('SIGTERM');
  signalled = true;
  await sleep(delayMs / 4);
  const readyDraining = await get(`${base}/ready`);
  // a balancer stops sending once the pod is out of rotation, before the delay ends
  await sleep(delayMs / 2);
  sending = false;
  await Promise.all(loops);
  const slowResults = await Promise.all(slowRequests);
  const exit = await exited;
  agent.destroy();
  return {
    readyBefore: readyBefore.status,
    readyDraining: readyDraining.status,
    fast: {
      sent: fast.length,
      ok: fast.filter((r) => r.status === 200).length,
      afterSigterm: fast.filter((r) => r.afterSigterm).length,
      closedAfterSigterm: fast.filter((r) => r.afterSigterm && r.connection === 'close').length,
      failures: fast.filter((r) => r.status !== 200).map((r) => r.error || r.status),
    },
    slow: slowResults.map((r) => r.body || r.error),
    exit,
    exitMs: Date.now() - sentAt,
    output,
  };
}

module.exports = { drainUnderLoad };
