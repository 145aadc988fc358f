import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { requestMessages, startFakeApp } from '../helpers/fake-app.js';
import { cleanup, REDIS_URL, waitForEvent } from '../helpers/test-app.js';

/** A script a client sent, with the commands it ran; `ours` when it is one of the session's. */
interface Script {
  ours: boolean;
  commands: string[][];
}

let fake: FakeAnthropic;
let app: App | undefined;
let monitor: Redis;
let probe: Redis;
let scripts: Script[];
let watched = '';

beforeEach(async () => {
  fake = await startFakeAnthropic();
  probe = new Redis(REDIS_URL);
  scripts = [];
  monitor = await new Redis(REDIS_URL).monitor();
  // A script's own commands come right after it, with the source `lua` (a script runs alone).
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (watched === '') return;
    if (source === 'lua') scripts.at(-1)?.commands.push(args);
    else if (args[0] === 'evalsha' || args[0] === 'eval') {
      const ours = args.some((a) => a.includes(`:session:{${watched}}`));
      scripts.push({ ours, commands: [] });
    }
  });
});
afterEach(async () => {
  watched = '';
  monitor.disconnect();
  probe.disconnect();
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

/** Every script of the session so far, once the monitor has caught up (it sees a marker). */
async function scriptsOfSession(): Promise<Script[]> {
  const marker = `mlib-marker-${watched}`;
  let seen = false;
  const onMarker = (_time: string, args: string[]) => {
    if (args.includes(marker)) seen = true;
  };
  monitor.on('monitor', onMarker);
  await probe.get(marker);
  await expect.poll(() => seen).toBe(true);
  monitor.off('monitor', onMarker);
  return scripts.filter((s) => s.ours);
}

/** Whether the script ran a command matching `pattern` (a script's commands are upper or lower case). */
const ran = (script: Script, pattern: RegExp) =>
  script.commands.some((c) => new RegExp(pattern.source, 'i').test(c.join(' ')));

describe('the scripts of a turn', () => {
  it('answer without tools: the answer is recorded in the operation’s last script', async () => {
    fake.setDefault(() => ({ text: 'Hello there.' }));
    app = await startFakeApp(fake);
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    watched = sessionId;
    await app.operations.submit(sessionId, { type: 'user_input', text: 'hi' }, 'u1');
    await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');

    const sent = await scriptsOfSession();
    const last = sent.at(-1)!;
    // Not in a script of its own, as the answer of a turn that goes on (with tools) is.
    expect(sent.filter((s) => ran(s, /^rpush \S+:messages /))).toHaveLength(2); // question, answer
    expect(ran(last, /^rpush \S+:messages .*Hello there\./)).toBe(true);
    expect(ran(last, /^xadd .*turn_complete/)).toBe(true);
    expect(ran(last, /^xadd .*operation_complete/)).toBe(true);
    expect(ran(last, /^lpop \S+:mailbox/)).toBe(true);
    expect((await app.history.load(sessionId)).map((m) => [m.role, m.content])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello there.'],
    ]);
  });

  it('a plan left open by an earlier turn still gets its nudge when the answer calls no tool', async () => {
    app = await startFakeApp(fake);
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    fake.enqueue(
      {
        toolCalls: [
          { name: 'plan_tool', input: { todos: [{ id: '1', content: 'train', status: 'pending' }] } },
        ],
      },
      { text: 'Planned.' },
      { text: 'Still planned.' },
      { text: 'Later.' },
    );
    await app.submit(sessionId, { type: 'user_input', text: 'plan it' });
    const first = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');
    const before = fake.requests.length;

    fake.setDefault(() => ({ text: 'Status: training soon.' }));
    await app.submit(sessionId, { type: 'user_input', text: 'status?' });
    await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete', {
      after: first.lastId,
    });
    // The first answer, then a nudge about the open todo (and a second one): three requests.
    expect(fake.requests.length - before).toBe(3);
    const nudged = requestMessages(fake, before + 1).at(-1);
    expect(JSON.stringify(nudged?.content)).toContain('open todos');
  });
});
