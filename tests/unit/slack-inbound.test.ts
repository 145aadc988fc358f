import { describe, expect, it } from 'vitest';
import { accessDenied, mayApprove } from '../../adapters/shared/access-policy.js';
import { parseInbound, stripMention } from '../../adapters/slack/inbound-message.js';
import { parseThreadCommand } from '../../adapters/shared/thread-commands.js';

const BOT = 'UBOT';

describe('parseInbound', () => {
  it('takes a mention, strips the bot and keeps the thread', () => {
    const r = parseInbound(
      {
        type: 'app_mention',
        user: 'U1',
        channel: 'C1',
        text: '<@UBOT> train  it',
        ts: '2.0',
        thread_ts: '1.0',
      },
      BOT,
    );
    expect(r.ok && r.message).toMatchObject({
      kind: 'mention',
      text: 'train it',
      threadTs: '1.0',
      inThread: true,
    });
  });

  it('treats a channel message naming the bot like the mention Slack sends beside it', () => {
    const r = parseInbound(
      { type: 'message', user: 'U1', channel: 'C1', text: 'hey <@UBOT|intern> go', ts: '5.0' },
      BOT,
    );
    expect(r.ok && r.message).toMatchObject({
      kind: 'mention',
      text: 'hey go',
      threadTs: '5.0',
      inThread: false,
    });
  });

  it('classifies DMs and thread replies', () => {
    const dm = parseInbound(
      { type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', text: 'hi', ts: '1.0' },
      BOT,
    );
    expect(dm.ok && dm.message.kind).toBe('dm');
    const reply = parseInbound(
      { type: 'message', user: 'U1', channel: 'C1', text: 'more', ts: '3.0', thread_ts: '1.0' },
      BOT,
    );
    expect(reply.ok && reply.message.kind).toBe('thread_reply');
  });

  it('ignores bots, itself, edits and malformed events', () => {
    expect(parseInbound({ type: 'message', bot_id: 'B1', channel: 'C1', text: 'x', ts: '1' }, BOT).ok).toBe(
      false,
    );
    expect(parseInbound({ type: 'message', user: BOT, channel: 'C1', text: 'x', ts: '1' }, BOT).ok).toBe(
      false,
    );
    expect(
      parseInbound({ type: 'message', subtype: 'message_changed', user: 'U1', channel: 'C1', ts: '1' }, BOT)
        .ok,
    ).toBe(false);
    const malformed = parseInbound({ type: 'message', user: 'U1' }, BOT);
    expect(!malformed.ok && malformed.reason).toMatch(/malformed/);
    expect(parseInbound('nonsense', BOT).ok).toBe(false);
  });

  it('strips every form of the mention', () => {
    expect(stripMention('<@UBOT> a <@UBOT|bot> b <@UOTHER>', BOT)).toBe('a b <@UOTHER>');
  });
});

describe('thread commands', () => {
  it('parses the command words and leaves everything else to the intern', () => {
    expect(parseThreadCommand('Stop')).toEqual({ kind: 'stop' });
    expect(parseThreadCommand('model anthropic/claude-opus-5')).toEqual({
      kind: 'model',
      model: 'anthropic/claude-opus-5',
    });
    expect(parseThreadCommand('yolo on')).toEqual({ kind: 'yolo', on: true });
    expect(parseThreadCommand('stop the training when loss < 1')).toBeUndefined();
    expect(parseThreadCommand('yolo maybe')).toBeUndefined();
    expect(parseThreadCommand('frobnicate')).toBeUndefined();
  });
});

describe('access policy', () => {
  const open = { workspaces: [], channels: [], users: [] };
  const who = { team: 'T1', channel: 'C1', user: 'U1', isDm: false };
  it('allows everyone when the lists are empty, and applies each list', () => {
    expect(accessDenied(open, who)).toBeUndefined();
    expect(accessDenied({ ...open, workspaces: ['T2'] }, who)).toMatch(/workspace/);
    expect(accessDenied({ ...open, channels: ['C2'] }, who)).toMatch(/channel/);
    expect(accessDenied({ ...open, channels: ['C2'] }, { ...who, isDm: true })).toBeUndefined();
    expect(accessDenied({ ...open, users: ['U2'] }, who)).toMatch(/list/);
  });

  it('lets the owner and the configured approvers decide', () => {
    expect(mayApprove('owner', 'U1', 'U1')).toBe(true);
    expect(mayApprove('owner', 'U1', 'U2')).toBe(false);
    expect(mayApprove('channel', 'U1', 'U2')).toBe(true);
    expect(mayApprove(['U3'], 'U1', 'U3')).toBe(true);
    expect(mayApprove(['U3'], 'U1', 'U2')).toBe(false);
  });
});

describe('access policy on Discord', () => {
  const lists = { workspaces: ['T1'], channels: [], users: [], guilds: ['G1'], roles: ['R1'] };
  it('checks guilds and roles, not Slack workspaces', () => {
    const member = { team: undefined, channel: 'C', user: 'U', isDm: false, guild: 'G1', roles: ['R1'] };
    expect(accessDenied(lists, member)).toBeUndefined();
    expect(accessDenied(lists, { ...member, guild: 'G2' })).toMatch(/server/);
    expect(accessDenied(lists, { ...member, roles: ['R2'] })).toMatch(/role/);
  });
});
