import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Who the fake workspace and app are. The fake answers `auth.test` with these values and the
 * payload builders put them into events, so an app under test sees one consistent workspace.
 */
export interface SlackIdentity {
  teamId: string;
  teamDomain: string;
  teamName: string;
  appId: string;
  /** The bot's user id: `auth.test` `user_id`, and the id an `app_mention` mentions. */
  botUserId: string;
  botId: string;
  botName: string;
}

/** The identity used when a test does not name one. */
export const DEFAULT_IDENTITY: Readonly<SlackIdentity> = Object.freeze({
  teamId: 'T0FAKETEAM',
  teamDomain: 'fake-team',
  teamName: 'Fake Team',
  appId: 'A0FAKEAPP',
  botUserId: 'U0FAKEBOT',
  botId: 'B0FAKEBOT',
  botName: 'ml-intern',
});

let lastMicros = 0;

/**
 * A Slack message timestamp (`"1732550000.000100"`: Unix seconds, a dot, six digits) from the
 * wall clock, strictly increasing across the whole process. The fake and the payload builders share
 * this clock so a user's message always sorts before the bot's reply to it, as in Slack.
 */
export function nextTs(): string {
  const micros = Math.max(Date.now() * 1000, lastMicros + 1);
  lastMicros = micros;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-style object id: an uppercase prefix letter and uppercase alphanumerics (`V0A1B2C3D4`). */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length] ?? 'X';
  return id;
}

/** An `event_id` as the Events API sends it (`Ev0A1B2C3D4E`). */
export function eventId(): string {
  return slackId('Ev', 10);
}

/** A `trigger_id` shaped like Slack's (`1234567890123.1234567890.0123abcd...`). */
export function triggerId(): string {
  const digits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(13)}.${digits(10)}.${randomBytes(16).toString('hex')}`;
}

/** A Socket Mode `envelope_id` (Slack uses UUIDs). */
export function envelopeId(): string {
  return randomUUID();
}
