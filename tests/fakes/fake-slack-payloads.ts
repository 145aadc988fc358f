import { randomUUID } from 'node:crypto';
import { DEFAULT_IDENTITY, eventId, nextTs, triggerId } from './fake-slack-ids.js';

/**
 * Builders of the payloads Slack sends to an app, in the shapes Bolt's types describe
 * (`EnvelopedEvent`, `AppMentionEvent`, `GenericMessageEvent`, `BlockAction`, `ViewSubmitAction`,
 * `SlashCommand`). Defaults come from {@link DEFAULT_IDENTITY}, so they match a default fake.
 */

/** The verification token Slack still puts in payloads (deprecated, never checked by Bolt). */
export const VERIFICATION_TOKEN = 'fake-verification-token';

/** Workspace ids a builder needs; each defaults to {@link DEFAULT_IDENTITY}. */
export interface WorkspaceOptions {
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  botUserId?: string;
  botId?: string;
}

export interface EventCallbackOptions extends WorkspaceOptions {
  eventId?: string;
  /** Unix seconds (default: now). */
  eventTime?: number;
  authorizations?: Array<Record<string, unknown>>;
}

/** A Slack event inside an `event_callback` body. */
export interface SlackEventLike {
  type: string;
  [key: string]: unknown;
}

/** The outer `event_callback` body of the Events API (HTTP body, or Socket Mode `payload`). */
export function eventCallback<E extends SlackEventLike>(
  event: E,
  options: EventCallbackOptions = {},
): Record<string, unknown> & { type: 'event_callback'; event: E; event_id: string } {
  const teamId = options.teamId ?? DEFAULT_IDENTITY.teamId;
  const channel = typeof event.channel === 'string' ? event.channel : 'C0';
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: options.apiAppId ?? DEFAULT_IDENTITY.appId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? eventId(),
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: options.authorizations ?? [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: options.botUserId ?? DEFAULT_IDENTITY.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    // Opaque to apps; Slack's is `4-` and base64 of the event type, team and channel.
    event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: teamId, cid: channel })).toString('base64url')}`,
  };
}

/** What a user's message needs; `ts` defaults to the shared clock. */
export interface UserMessageOptions {
  user: string;
  channel: string;
  text: string;
  ts?: string;
  /** Set for a reply in a thread: the parent's ts. */
  threadTs?: string;
  /** The parent's author, which Slack puts on replies (`parent_user_id`). */
  parentUserId?: string;
  /** File objects as Slack sends them (see `fake.addFile`). */
  files?: unknown[];
  teamId?: string;
}

/**
 * The rich_text block Slack adds to every message a person types, with `<@U…>` mentions as user
 * elements; apps that read blocks instead of `text` see what they would see in Slack.
 */
export function richTextBlocks(text: string): unknown[] {
  const elements: unknown[] = [];
  let last = 0;
  for (const match of text.matchAll(/<@([UW][A-Z0-9]+)>/g)) {
    if (match.index > last) elements.push({ type: 'text', text: text.slice(last, match.index) });
    elements.push({ type: 'user', user_id: match[1] });
    last = match.index + match[0].length;
  }
  if (last < text.length) elements.push({ type: 'text', text: text.slice(last) });
  return [
    {
      type: 'rich_text',
      block_id: randomUUID().slice(0, 5),
      elements: [{ type: 'rich_text_section', elements }],
    },
  ];
}

/** A user's message event as the builders return it: the fields tests read are typed. */
export interface UserMessageEvent extends SlackEventLike {
  user: string;
  text: string;
  ts: string;
  channel: string;
  event_ts: string;
  thread_ts?: string;
}

function userMessageEvent(type: string, o: UserMessageOptions): UserMessageEvent {
  const ts = o.ts ?? nextTs();
  const event: UserMessageEvent = {
    user: o.user,
    type,
    ts,
    client_msg_id: randomUUID(),
    text: o.text,
    team: o.teamId ?? DEFAULT_IDENTITY.teamId,
    blocks: richTextBlocks(o.text),
    channel: o.channel,
    event_ts: ts,
  };
  if (o.threadTs !== undefined) {
    event.thread_ts = o.threadTs;
    if (o.parentUserId !== undefined) event.parent_user_id = o.parentUserId;
  }
  if (o.files !== undefined) {
    // A message with files is a `file_share` message in Slack, with `upload: false` once shared.
    event.files = o.files;
    event.upload = false;
    event.display_as_bot = false;
  }
  return event;
}

/** An `app_mention` event (the text should contain `<@botUserId>`, as Slack's does). */
export function appMention(options: UserMessageOptions): UserMessageEvent {
  return userMessageEvent('app_mention', options);
}

function messageEvent(options: UserMessageOptions, channelType: string): UserMessageEvent {
  const event = userMessageEvent('message', options);
  if (options.files !== undefined) event.subtype = 'file_share';
  event.channel_type = channelType;
  return event;
}

/** A `message` event in a public channel (`channel_type: 'channel'`). */
export function channelMessage(options: UserMessageOptions): UserMessageEvent {
  return messageEvent(options, 'channel');
}

/** A `message` event in a DM with the app (`channel_type: 'im'`). */
export function dmMessage(options: UserMessageOptions): UserMessageEvent {
  return messageEvent(options, 'im');
}

export interface BlockActionOptions extends WorkspaceOptions {
  user: string;
  userName?: string;
  channel: string;
  /** The ts of the message holding the button. */
  messageTs: string;
  threadTs?: string;
  actionId: string;
  value: string;
  blockId?: string;
  /** The button's label. */
  buttonText?: string;
  /** The message the button sits in, as the app posted it. */
  messageText?: string;
  messageBlocks?: unknown[];
  triggerId?: string;
  /** Where `respond()` posts; `fake.responseUrl(...)` gives one the fake records. */
  responseUrl?: string;
}

/** A `block_actions` payload for a button click in a message. */
export function blockAction(o: BlockActionOptions): Record<string, unknown> & { type: 'block_actions' } {
  const teamId = o.teamId ?? DEFAULT_IDENTITY.teamId;
  const blockId = o.blockId ?? 'actions';
  const userName = o.userName ?? `user-${o.user.toLowerCase()}`;
  const message: Record<string, unknown> = {
    user: o.botUserId ?? DEFAULT_IDENTITY.botUserId,
    type: 'message',
    ts: o.messageTs,
    bot_id: o.botId ?? DEFAULT_IDENTITY.botId,
    app_id: o.apiAppId ?? DEFAULT_IDENTITY.appId,
    text: o.messageText ?? '',
    team: teamId,
    blocks: o.messageBlocks ?? [],
  };
  if (o.threadTs !== undefined) message.thread_ts = o.threadTs;
  const container: Record<string, unknown> = {
    type: 'message',
    message_ts: o.messageTs,
    channel_id: o.channel,
    is_ephemeral: false,
  };
  if (o.threadTs !== undefined) container.thread_ts = o.threadTs;
  return {
    type: 'block_actions',
    user: { id: o.user, username: userName, name: userName, team_id: teamId },
    api_app_id: o.apiAppId ?? DEFAULT_IDENTITY.appId,
    token: VERIFICATION_TOKEN,
    container,
    trigger_id: o.triggerId ?? triggerId(),
    team: { id: teamId, domain: o.teamDomain ?? DEFAULT_IDENTITY.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: o.channel, name: 'general' },
    message,
    state: { values: {} },
    response_url:
      o.responseUrl ??
      `https://hooks.slack.com/actions/${teamId}/${Date.now()}/${randomUUID().replace(/-/g, '')}`,
    actions: [
      {
        action_id: o.actionId,
        block_id: blockId,
        text: { type: 'plain_text', text: o.buttonText ?? o.actionId, emoji: true },
        value: o.value,
        type: 'button',
        action_ts: nextTs(),
      },
    ],
  };
}

/** `view.state.values`: block id → action id → the input's value. */
export type ViewStateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface ViewSubmissionOptions extends WorkspaceOptions {
  user: string;
  userName?: string;
  callbackId: string;
  privateMetadata?: string;
  values?: ViewStateValues;
  viewId?: string;
  title?: string;
  blocks?: unknown[];
  triggerId?: string;
  hash?: string;
}

/** A `view_submission` payload for a modal the app opened. */
export function viewSubmission(
  o: ViewSubmissionOptions,
): Record<string, unknown> & { type: 'view_submission' } {
  const teamId = o.teamId ?? DEFAULT_IDENTITY.teamId;
  const viewId = o.viewId ?? 'V0FAKEVIEW';
  const userName = o.userName ?? `user-${o.user.toLowerCase()}`;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: o.teamDomain ?? DEFAULT_IDENTITY.teamDomain },
    user: { id: o.user, username: userName, name: userName, team_id: teamId },
    api_app_id: o.apiAppId ?? DEFAULT_IDENTITY.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: o.triggerId ?? triggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: o.blocks ?? [],
      private_metadata: o.privateMetadata ?? '',
      callback_id: o.callbackId,
      state: { values: o.values ?? {} },
      hash: o.hash ?? `${Math.floor(Date.now() / 1000)}.fakehash`,
      title: { type: 'plain_text', text: o.title ?? 'Modal', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: o.apiAppId ?? DEFAULT_IDENTITY.appId,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: o.botId ?? DEFAULT_IDENTITY.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface SlashCommandOptions extends WorkspaceOptions {
  user: string;
  userName?: string;
  channel: string;
  channelName?: string;
  command: string;
  text?: string;
  triggerId?: string;
  responseUrl?: string;
}

/** A slash command payload: every field a string, as Slack form-encodes it. */
export function slashCommand(o: SlashCommandOptions): Record<string, string> {
  const teamId = o.teamId ?? DEFAULT_IDENTITY.teamId;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: o.teamDomain ?? DEFAULT_IDENTITY.teamDomain,
    channel_id: o.channel,
    channel_name: o.channelName ?? 'general',
    user_id: o.user,
    user_name: o.userName ?? `user-${o.user.toLowerCase()}`,
    command: o.command,
    text: o.text ?? '',
    api_app_id: o.apiAppId ?? DEFAULT_IDENTITY.appId,
    is_enterprise_install: 'false',
    response_url:
      o.responseUrl ??
      `https://hooks.slack.com/commands/${teamId}/${Date.now()}/${randomUUID().replace(/-/g, '')}`,
    trigger_id: o.triggerId ?? triggerId(),
  };
}
