import {
  appMention,
  blockAction,
  DEFAULT_IDENTITY,
  eventCallback,
  slashCommand,
  viewSubmission,
} from '../fakes/fake-slack.js';

/**
 * Correctly signed deliveries that no listener should ever see or that Bolt cannot read, as a
 * hostile or buggy sender (or an unlucky Slack) posts them to the request URL. Each names the
 * answer the adapter owes: 200 for what Slack may really send, 400 for shapes it never sends, 401
 * for a body whose signature cannot be checked as text.
 */
export interface HostileDelivery {
  name: string;
  /** An object is encoded as Slack would; a string or Buffer is the raw body. */
  body: unknown;
  contentType?: 'json' | 'form';
  status: 200 | 400 | 401;
  /** A fragment of the reason the adapter logs. */
  reason?: string;
}

const BOT = DEFAULT_IDENTITY.botUserId;
const TEAM = DEFAULT_IDENTITY.teamId;

/** An `event_callback` envelope around any `event` value, well formed or not. */
function envelope(event: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = eventCallback({ type: 'app_mention' });
  return { ...base, event, ...extra };
}

function mention(channel = 'CHOSTILE', text = `<@${BOT}> hi`) {
  return appMention({ user: 'UHOSTILE', channel, text });
}

function click(actionId: string) {
  return blockAction({ user: 'UHOSTILE', channel: 'CHOSTILE', messageTs: '1.000001', actionId, value: 'x' });
}

/** One of each kind (the named cases the tests assert one by one). */
export function hostileDeliveries(): HostileDelivery[] {
  const noActions = { ...click('mlib_stop') } as Record<string, unknown>;
  delete noActions.actions;
  const noView = { ...viewSubmission({ user: 'UHOSTILE', callbackId: 'mlib_feedback' }) } as Record<
    string,
    unknown
  >;
  delete noView.view;
  const noEvent = envelope(undefined);
  delete noEvent.event;
  return [
    { name: 'JSON null', body: 'null', contentType: 'json', status: 400, reason: 'body is null' },
    {
      name: 'form payload=null',
      body: 'payload=null',
      contentType: 'form',
      status: 400,
      reason: 'body is null',
    },
    { name: 'form payload=[]', body: 'payload=%5B%5D', contentType: 'form', status: 400, reason: 'an array' },
    { name: 'a JSON array', body: '[{"type":"event_callback"}]', contentType: 'json', status: 400 },
    { name: 'a JSON string', body: '"event_callback"', contentType: 'json', status: 400, reason: 'a string' },
    { name: 'a JSON number', body: '42', contentType: 'json', status: 400, reason: 'a number' },
    { name: 'a JSON boolean', body: 'true', contentType: 'json', status: 400, reason: 'a boolean' },
    { name: 'bad JSON', body: '{"type":"event_callback",', contentType: 'json', status: 400, reason: 'JSON' },
    { name: 'bad JSON in a form payload', body: 'payload=%7Bnope', contentType: 'form', status: 400 },
    {
      name: 'invalid UTF-8',
      body: Buffer.from([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d]),
      contentType: 'json',
      status: 401,
      reason: 'not valid UTF-8',
    },
    { name: 'event is a string', body: envelope('app_mention'), status: 400, reason: 'event is a string' },
    { name: 'event is null', body: envelope(null), status: 400, reason: 'event is null' },
    { name: 'event is a number', body: envelope(7), status: 400, reason: 'event is a number' },
    { name: 'event is a boolean', body: envelope(false), status: 400, reason: 'event is a boolean' },
    { name: 'event is an array', body: envelope([mention()]), status: 400, reason: 'event is an array' },
    { name: 'event without a type', body: envelope({ channel: 'C1' }), status: 400, reason: 'no type' },
    {
      name: 'channel is a number',
      body: envelope({ ...mention(), channel: 5 }),
      status: 400,
      reason: 'channel',
    },
    {
      name: 'channel is null',
      body: envelope({ ...mention(), channel: null }),
      status: 400,
      reason: 'channel',
    },
    {
      name: 'user is null',
      body: envelope({ ...mention(), user: null }),
      status: 400,
      reason: 'user is null',
    },
    { name: 'item is a string', body: envelope({ ...mention(), item: 'x' }), status: 400, reason: 'item' },
    {
      name: 'authorizations hold null',
      body: envelope(mention(), { authorizations: [null] }),
      status: 400,
      reason: 'authorizations',
    },
    {
      name: 'an unknown event type',
      body: envelope({
        type: 'reaction_added',
        user: 'U1',
        item: { type: 'message', channel: 'C1', ts: '1.1' },
      }),
      status: 200,
      reason: 'not handled',
    },
    {
      name: 'app_rate_limited',
      body: {
        token: 'x',
        type: 'app_rate_limited',
        team_id: TEAM,
        minute_rate_limited: 1518467820,
        api_app_id: DEFAULT_IDENTITY.appId,
      },
      status: 200,
      reason: 'app_rate_limited',
    },
    { name: '{}', body: {}, status: 400, reason: 'unknown delivery type' },
    { name: 'an envelope without an event', body: noEvent, status: 400, reason: 'without an event' },
    {
      name: 'an event outside an envelope',
      body: { type: 'surprise', event: mention() },
      status: 400,
      reason: 'outside an event_callback',
    },
    {
      name: 'an unknown delivery type',
      body: { type: 'surprise' },
      status: 400,
      reason: 'unknown delivery type',
    },
    { name: 'a form without a payload', body: 'foo=bar', contentType: 'form', status: 400 },
    {
      name: 'block_actions, unknown action id',
      body: click('open_link'),
      status: 200,
      reason: 'unknown action id',
    },
    { name: 'block_actions without actions', body: noActions, status: 400, reason: 'without actions' },
    {
      name: 'block_actions, empty actions',
      body: { ...click('mlib_stop'), actions: [] },
      status: 400,
      reason: 'without actions',
    },
    {
      name: 'block_actions, actions not a list',
      body: { ...click('mlib_stop'), actions: 'mlib_stop' },
      status: 400,
      reason: 'without actions',
    },
    {
      name: 'block_actions, an action without an id',
      body: { ...click('mlib_stop'), actions: [null] },
      status: 400,
      reason: 'action_id',
    },
    { name: 'block_actions without a user', body: { ...click('mlib_stop'), user: null }, status: 400 },
    { name: 'block_actions, channel null', body: { ...click('mlib_stop'), channel: null }, status: 400 },
    {
      name: 'view_submission, unknown callback',
      body: viewSubmission({ user: 'UHOSTILE', callbackId: 'someone_elses_modal' }),
      status: 200,
      reason: 'unknown callback',
    },
    { name: 'view_submission without a view', body: noView, status: 400, reason: 'without a view' },
    { name: 'view_closed', body: { type: 'view_closed', user: { id: 'U1' }, view: {} }, status: 200 },
    { name: 'a shortcut', body: { type: 'shortcut', callback_id: 'x', user: { id: 'U1' } }, status: 200 },
    { name: 'url_verification', body: { type: 'url_verification', challenge: 'c-123' }, status: 200 },
    { name: 'url_verification without a challenge', body: { type: 'url_verification' }, status: 400 },
    { name: 'ssl_check', body: 'ssl_check=1&token=x', contentType: 'form', status: 200 },
    {
      name: 'a slash command',
      body: slashCommand({ user: 'UHOSTILE', channel: 'CHOSTILE', command: '/intern', text: 'hi' }),
      status: 200,
      reason: 'slash command',
    },
  ];
}

/** A small deterministic generator (the fuzz must be reproducible). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One delivery of the fuzz: a hostile case, or a real-looking mention Slack may send (and retry). */
export interface FuzzDelivery {
  name: string;
  body: unknown;
  contentType?: 'json' | 'form';
  retryNum?: number;
}

/**
 * `count` deliveries drawn from {@link hostileDeliveries} plus mentions with huge text, redelivered
 * envelopes (the same event id twice, with retry headers) and random junk bodies.
 */
export function hostileMix(count: number, seed = 7): FuzzDelivery[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const cases = hostileDeliveries();
  const out: FuzzDelivery[] = [];
  const sent: FuzzDelivery[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    let next: FuzzDelivery;
    if (roll < 0.7) next = { ...pick(cases) };
    else if (roll < 0.75) {
      const text = `<@${BOT}> ${'huge text '.repeat(20_000 + Math.floor(random() * 20_000))}`;
      next = { name: 'a mention with huge text', body: eventCallback(mention(`CHUGE${i}`, text)) };
    } else if (roll < 0.85 && sent.length > 0) {
      next = { ...pick(sent), name: 'a redelivery', retryNum: 1 + Math.floor(random() * 3) };
    } else if (roll < 0.9) {
      next = { name: 'a mention', body: eventCallback(mention(`CFUZZ${i % 5}`)) };
    } else {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 64));
      for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(random() * 256);
      next = { name: 'random bytes', body: bytes, contentType: random() < 0.5 ? 'json' : 'form' };
    }
    if (next.name === 'a mention' || next.name.startsWith('event') || next.name === 'app_rate_limited')
      sent.push(next);
    out.push(next);
  }
  return out;
}
