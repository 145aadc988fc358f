import { describe, expect, it } from 'vitest';
import { customId, parseCustomId } from '../../adapters/discord/custom-ids.js';
import { approvalMessage, statusMessage } from '../../adapters/discord/discord-views.js';
import { threadName } from '../../adapters/discord/inbound-handler.js';
import { internCommand, slashToCommand } from '../../adapters/discord/slash-commands.js';

const SESSION = '0f6b1c1e-4a53-4d1c-9a55-1b7f4c5b8e01';
const CALL = 'toolu_01ABCDEFGHIJKLMNOPQRSTUV';

describe('discord custom ids', () => {
  it('round-trip within 100 characters and refuse anything else', () => {
    for (const action of [
      { verb: 'approve', sessionId: SESSION, toolCallId: CALL },
      { verb: 'feedback', sessionId: SESSION, toolCallId: CALL },
      { verb: 'all', sessionId: SESSION },
      { verb: 'stop', sessionId: SESSION },
    ] as const) {
      const id = customId(action);
      expect(id.length).toBeLessThanOrEqual(100);
      expect(parseCustomId(id)).toEqual(action);
    }
    expect(parseCustomId('other:a:x:y')).toBeUndefined();
    expect(parseCustomId(`mlib:stop:${SESSION}:extra`)).toBeUndefined();
    expect(parseCustomId('mlib:a:s')).toBeUndefined();
  });
});

describe('discord views', () => {
  it('has a row of buttons per open call, Approve all for several, none once decided', () => {
    const calls = [1, 2].map((i) => ({
      toolCallId: `${CALL}${i}`,
      tool: 'hf_jobs',
      args: { flavor: 'a10g' },
      reason: 'paid',
    }));
    const open = approvalMessage(SESSION, calls, []);
    expect(open.components).toHaveLength(3);
    expect(open.content.length).toBeLessThanOrEqual(2_000);
    const decided = approvalMessage(
      SESSION,
      calls,
      calls.map((c) => ({ toolCallId: c.toolCallId, approved: true, by: 'U1', at: 1_700_000_000_000 })),
    );
    expect(decided.components).toHaveLength(0);
    expect(decided.content).toContain('Approved by <@U1>');
  });

  it('offers Stop only while a turn runs', () => {
    expect(statusMessage(SESSION, 'working').components).toHaveLength(1);
    expect(statusMessage(SESSION, 'done').components).toHaveLength(0);
  });
});

describe('discord inbound and slash', () => {
  it('names threads from the first line of the prompt, at most 100 characters', () => {
    expect(threadName('fine-tune llama\nwith details')).toBe('fine-tune llama');
    expect(threadName('x'.repeat(300))).toHaveLength(100);
    expect(threadName('   ')).toBe('ML intern session');
  });

  it('maps /intern subcommands to the shared commands', () => {
    expect(slashToCommand('stop', () => null)).toEqual({ kind: 'stop' });
    expect(slashToCommand('model', (n) => (n === 'id' ? 'anthropic/claude-opus-5' : null))).toEqual({
      kind: 'model',
      model: 'anthropic/claude-opus-5',
    });
    expect(slashToCommand('yolo', () => 'on')).toEqual({ kind: 'yolo', on: true });
    expect(slashToCommand('nonsense', () => null)).toBeUndefined();
    const json = internCommand();
    expect(json.name).toBe('intern');
    expect(json.options?.map((o) => o.name)).toEqual([
      'stop',
      'undo',
      'compact',
      'new',
      'status',
      'model',
      'yolo',
    ]);
  });
});
