import { Client, Events, GatewayIntentBits, Partials, Status, type ClientOptions } from 'discord.js';
import { noopMetrics } from '../../src/core/metrics.js';
import { adapterContext, type AdapterOptions } from '../shared/adapter-context.js';
import type { DiscordContext } from './discord-context.js';
import { DiscordRenderer } from './discord-renderer.js';
import { instrumentRest } from './discord-rest.js';
import { NO_MENTIONS } from './discord-views.js';
import { GuildMembers } from './guild-members.js';
import { handleDiscordMessage } from './inbound-handler.js';
import { handleInteraction } from './interaction-handler.js';

export interface DiscordAdapterOptions extends AdapterOptions {
  token: string;
  /** `DISCORD_API_URL` (no version); discord.js also reads the gateway URL from it. */
  apiUrl?: string;
  /** How long login may take before it counts as failed. */
  loginTimeoutMs?: number;
  /** How long a DM sender's server membership is trusted before it is looked up again (default 5 min). */
  memberCacheTtlMs?: number;
}

export interface RunningDiscordAdapter {
  /** False when the app lacks the privileged MessageContent intent (mentions, DMs and slash still work). */
  messageContent: boolean;
  /** For `/readyz`: the gateway websocket is connected and the client ready (false while it reconnects). */
  connected(): boolean;
  stop(): Promise<void>;
}

const BASE_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
];
/** Gateway close code for a privileged intent the app has not enabled. */
const DISALLOWED_INTENTS = 4014;

/**
 * The Discord adapter: a discord.js client turns messages and interactions into operations and
 * renders each followed session into its thread. It asks for the MessageContent intent and, when
 * the app has not enabled it, connects again without it and says what that means.
 */
export async function startDiscordAdapter(options: DiscordAdapterOptions): Promise<RunningDiscordAdapter> {
  const { logger } = options;
  let client = await connect(options, true);
  let messageContent = true;
  if (!client) {
    messageContent = false;
    logger.warn(
      'Discord: the MessageContent intent is not enabled for this app (Developer Portal → Bot → Privileged Gateway Intents). ' +
        'The intern still answers mentions, replies in its threads, DMs and /intern, but cannot read other messages.',
    );
    client = await connect(options, false);
    if (!client) throw new Error('Discord refused the connection even without privileged intents');
  }
  const ready = client;
  const renderer = new DiscordRenderer(
    ready,
    options.gateway,
    logger,
    (id) => subscription.follow(id),
    (id) => subscription.unfollow(id),
  );
  const ctx: DiscordContext = {
    ...adapterContext(options, (id) => subscription.follow(id)),
    client: ready,
    members: GuildMembers.overRest(ready.rest, options.memberCacheTtlMs),
  };

  // Used by the callbacks above, which only run once events flow.
  const subscription = await options.gateway.subscribe('discord', (sessionId, events) =>
    renderer.render(sessionId, events),
  );
  // The one error handler of the adapter: log the reason, never let a bad event take the client down.
  const guarded = (what: string, work: () => Promise<void>) =>
    void work().catch((err: unknown) => logger.error({ err }, `discord ${what} failed`));
  ready.on(Events.MessageCreate, (message) => guarded('message', () => handleDiscordMessage(ctx, message)));
  ready.on(Events.InteractionCreate, (interaction) =>
    guarded('interaction', () => handleInteraction(ctx, interaction)),
  );
  ready.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  logger.info({ user: ready.user.id, messageContent }, 'discord adapter started');
  return {
    messageContent,
    connected: () =>
      ready.isReady() &&
      ready.ws.shards.size > 0 &&
      ready.ws.shards.every((shard) => shard.status === Status.Ready),
    stop: async () => {
      await subscription.stop();
      await renderer.flush();
      await ready.destroy();
    },
  };
}

/** Logs in; resolves with the ready client, or undefined when Discord refused the intents. */
async function connect(
  options: DiscordAdapterOptions,
  withMessageContent: boolean,
): Promise<Client<true> | undefined> {
  const clientOptions: ClientOptions = {
    intents: withMessageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : BASE_INTENTS,
    partials: [Partials.Channel], // DM channels arrive uncached
    // The default for every send, edit, reply and follow-up: a call that forgets its own pings nobody.
    allowedMentions: NO_MENTIONS,
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  };
  const client = new Client(clientOptions);
  instrumentRest(client.rest, options.redact ?? ((text) => text), options.metrics ?? noopMetrics);
  const outcome = new Promise<'ready' | 'disallowed'>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve('ready'));
    client.on(Events.ShardDisconnect, (event) => {
      if (event.code === DISALLOWED_INTENTS) resolve('disallowed');
    });
    setTimeout(() => reject(new Error('Discord login timed out')), options.loginTimeoutMs ?? 30_000).unref();
  });
  outcome.catch(() => undefined); // a late timeout after a failed login is not an unhandled rejection
  const login = client.login(options.token).then(
    () => outcome,
    (err: unknown) => {
      // @discordjs/ws rejects login with "Used disallowed intents" (close code 4014).
      const code = (err as { code?: unknown }).code;
      const text = `${typeof code === 'string' ? code : ''} ${err instanceof Error ? err.message : String(err)}`;
      if (/disallowed ?intents/i.test(text)) return 'disallowed' as const;
      throw err instanceof Error ? err : new Error(String(err));
    },
  );
  const result = await Promise.race([outcome, login]);
  if (result === 'ready' && client.isReady()) return client;
  await client.destroy();
  return undefined;
}
