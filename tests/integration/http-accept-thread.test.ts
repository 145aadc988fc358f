import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpService } from '../../src/http/http-service.js';

const logger = pino({ level: 'silent' });
let service: HttpService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

/**
 * A client on a thread of its own (the test's own loop is kept busy): opens `count` connections at
 * once, each with one request, and answers with each response's status once all are in.
 */
const CLIENT_SOURCE = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, count } = workerData;
const statuses = [];
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, '127.0.0.1');
  let reply = '';
  socket.on('connect', () => socket.write('GET /ping HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n'));
  socket.on('data', (d) => (reply += d));
  socket.on('close', () => {
    statuses.push(Number(reply.split(' ')[1]));
    if (statuses.length === count) parentPort.postMessage(statuses);
  });
}
`;

const agent = new Agent({ keepAlive: true });

function post(port: number, body: Buffer): Promise<{ status: number; text: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/echo', method: 'POST', agent }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HttpService accepts on a thread of its own', () => {
  it('takes a burst of new connections in a few turns of a busy event loop, not one turn each', async () => {
    service = new HttpService(logger);
    const turnsOfRequests: number[] = [];
    let turn = 0;
    service.mount('/ping', (_req, res) => {
      turnsOfRequests.push(turn);
      res.writeHead(200).end('pong');
    });
    const port = await service.listen(0, '127.0.0.1');

    // Every turn of this loop costs 5 ms of CPU, as a gateway's does while it renders a burst.
    let spinning = true;
    const spin = () => {
      const until = performance.now() + 5;
      while (performance.now() < until);
      turn++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const count = 100;
    const client = new Worker(CLIENT_SOURCE, { eval: true, workerData: { port, count } });
    try {
      const [statuses] = (await once(client, 'message')) as [number[]];
      expect(statuses).toEqual(Array(count).fill(200));
    } finally {
      spinning = false;
      await client.terminate();
    }
    // libuv accepts one connection per turn of the loop that listens: on this loop that would take
    // at least `count` turns.
    const turnsTaken = Math.max(...turnsOfRequests) - Math.min(...turnsOfRequests) + 1;
    expect(turnsOfRequests).toHaveLength(count);
    expect(turnsTaken).toBeLessThan(count / 4);
  });

  it('relays a large body both ways and keeps a connection for the next request', async () => {
    service = new HttpService(logger);
    service.mount('/echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(`${body.length}:${body.subarray(-8).toString()}`);
      });
    });
    const port = await service.listen(0, '127.0.0.1');
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    big.write('the-end!', big.length - 8);
    expect(await post(port, big)).toEqual({ status: 200, text: `${big.length}:the-end!`, reused: false });
    // The agent keeps the connection alive: the second request goes on the same one.
    expect(await post(port, Buffer.from('hello, relay'))).toEqual({
      status: 200,
      text: '12:o, relay',
      reused: true,
    });
    agent.destroy();
    const missing = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/nope' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(missing).toBe(404);
  });

  it('frees its port and drops open connections on close; a taken port is refused with its code', async () => {
    service = new HttpService(logger);
    service.mount('/hang', () => undefined);
    const port = await service.listen(0, '127.0.0.1');
    const hanging = new Promise<string>((resolve) =>
      request({ host: '127.0.0.1', port, path: '/hang' })
        .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
        .end(),
    );
    const other = new HttpService(logger);
    await expect(other.listen(port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });

    await service.close();
    service = undefined;
    expect(await hanging).toBe('ECONNRESET');
    service = new HttpService(logger);
    expect(await service.listen(port, '127.0.0.1')).toBe(port);
  });

  it('says so when its thread dies, drops the connections it held, and still closes at once', async () => {
    type Line = { level: number; msg: string; code?: number };
    const lines: Line[] = [];
    const recording = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
    );
    service = new HttpService(recording);
    let arrived!: () => void;
    const requestIn = new Promise<void>((resolve) => (arrived = resolve));
    service.mount('/hang', () => arrived());
    const port = await service.listen(0, '127.0.0.1');
    const hanging = new Promise<string>((resolve) =>
      request({ host: '127.0.0.1', port, path: '/hang' })
        .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
        .end(),
    );
    await requestIn;
    const held = service as unknown as {
      accept: { thread: Worker; sockets: Map<number, { destroyed: boolean }> };
    };
    const [socket] = [...held.accept.sockets.values()];
    await held.accept.thread.terminate();

    expect(await hanging).toBe('ECONNRESET');
    expect(socket?.destroyed).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'http accept thread exited; no new connections' }),
    );
    // Nothing is left to shut down: close() returns rather than waiting on the dead thread.
    await service.close();
    service = undefined;
  });
});
