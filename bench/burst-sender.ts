import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * (i)'s sender, run in a worker thread of its own: the bench's main thread also serves the fake
 * Slack (about a thousand calls in the same seconds), and an ack timed there would include the time
 * that thread was busy. The thread's code is plain JavaScript (`eval: true`), so it needs no loader.
 *
 * It stands in for Slack, whose own CPU is not on the machine measured, so it does as little as it
 * can between a POST going out and its answer being read: it signs every body of a burst as Slack
 * does (`v0:<timestamp>:<body>`, HMAC-SHA256 with the signing secret) before the first POST, and
 * sends them with `node:http` (undici's fetch took a core for 0.9 s to send 200, in a thread where
 * it was cold each burst; its responses were read that late). One thread serves the whole run, and
 * the warm-up mentions go through it too, so its code is compiled before the first burst.
 */
const SENDER_SOURCE = `
const { createHmac } = require('node:crypto');
const { Agent, request } = require('node:http');
const { performance } = require('node:perf_hooks');
const { parentPort, workerData } = require('node:worker_threads');
const { url, secret } = workerData;
const target = new URL(url);
// One connection per POST of a burst, kept open afterwards as Slack's client does (the gateway closes it when idle).
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function signed(body) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + timestamp + ':' + body).digest('hex');
  const bytes = Buffer.from(body);
  return {
    bytes,
    headers: {
      'content-type': 'application/json',
      'content-length': String(bytes.length),
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
  };
}

function send({ bytes, headers }) {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers, agent },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - sent }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

parentPort.on('message', ({ bodies }) => {
  const requests = bodies.map(signed);
  const startedAt = Date.now();
  Promise.all(requests.map(send)).then(
    (results) => parentPort.postMessage({ startedAt, results }),
    (err) => parentPort.postMessage({ error: String(err && err.message ? err.message : err) }),
  );
});
`;

export interface BurstSent {
  /** When the first POST went out (this clock). */
  startedAt: number;
  /** Each POST's status and time to its response, in the order of the bodies. */
  results: Array<{ status: number; ms: number }>;
  error?: string;
}

/** The sender thread (see above): `send` POSTs a burst of bodies at once and answers how each went. */
export class BurstSender {
  private constructor(private readonly thread: Worker) {}

  static async start(url: string, secret: string): Promise<BurstSender> {
    const thread = new Worker(SENDER_SOURCE, { eval: true, workerData: { url, secret } });
    await once(thread, 'online');
    return new BurstSender(thread);
  }

  /** Signs every body, then POSTs them all at once; resolves when each has its response. */
  async send(bodies: readonly string[]): Promise<BurstSent> {
    const answered = once(this.thread, 'message') as Promise<[BurstSent]>;
    this.thread.postMessage({ bodies });
    const [sent] = await answered;
    if (sent.error !== undefined) throw new Error(`(i) sending the mentions failed: ${sent.error}`);
    return sent;
  }

  async stop(): Promise<void> {
    await this.thread.terminate();
  }
}
