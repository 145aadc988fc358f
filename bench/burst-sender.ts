/**
 * (i)'s sender, run in a worker thread of its own: the bench's main thread also serves the fake
 * Slack (about a thousand calls in the same seconds), and an ack timed there would include the time
 * that thread was busy. The thread's code is plain JavaScript (`eval: true`), so it needs no loader.
 * It signs each body as Slack does (`v0:<timestamp>:<body>`, HMAC-SHA256 with the signing secret),
 * POSTs them all at once on 'go', and answers with each one's status and time to its response.
 */
export const BURST_SENDER_SOURCE = `
const { createHmac } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { parentPort, workerData } = require('node:worker_threads');
const { url, secret, bodies } = workerData;

async function send(body) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + timestamp + ':' + body).digest('hex');
  const sent = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - sent };
}

parentPort.once('message', () => {
  const startedAt = Date.now();
  Promise.all(bodies.map(send)).then(
    (results) => parentPort.postMessage({ startedAt, results }),
    (err) => parentPort.postMessage({ error: String(err && err.message ? err.message : err) }),
  );
});
`;

export interface BurstSent {
  startedAt: number;
  results: Array<{ status: number; ms: number }>;
  error?: string;
}
