/**
 * What the Slack adapter does with one signed HTTP delivery, decided before Bolt sees it.
 *
 * Bolt's HTTPReceiver assumes Slack's shapes: a JSON `null` body crashes the process, an `event`
 * that is not an object answers 500 (which Slack retries), and anything no listener matches is
 * answered 404 only after about 3 s. So each parsed body is sorted here: forwarded to Bolt only when
 * a listener will take it and Bolt can read it; otherwise answered at once, 200 for what Slack may
 * really send (and we ignore), 400 for shapes Slack never sends.
 */

/** What the app listens to: the gate forwards only deliveries one of these listeners takes. */
export interface SlackRoutes {
  /** Event types with an `app.event` listener. */
  events: readonly string[];
  /** Action ids with an `app.action` listener. */
  actionIds: RegExp;
  /** View callback ids with an `app.view` listener. */
  viewCallbacks: readonly string[];
}

/** The verdict on one delivery. */
export type DeliveryVerdict =
  | { kind: 'forward' }
  | {
      kind: 'answer';
      status: 200 | 400;
      /** Why it is not forwarded: logged, never sent to the caller. */
      reason: string;
      /** `warn` for what an operator should see (refusals, Slack's rate limiting), else `info`. */
      level: 'info' | 'warn';
      /** A JSON body to answer with (the URL verification challenge). */
      json?: unknown;
    };

/** Slack's interactive payload types that this app does not act on (answered 200, ignored). */
const IGNORED_INTERACTIONS = new Set([
  'view_closed',
  'shortcut',
  'message_action',
  'block_suggestion',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
  'workflow_step_edit',
]);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short name for a value's kind, for log lines (never the value itself). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A type name from the payload, cut short and kept printable (hostile bodies carry anything). */
function label(value: unknown): string {
  if (typeof value !== 'string') return `(${kindOf(value)})`;
  const clean = value.replace(/[^\w.:-]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

const ignore = (reason: string, level: 'info' | 'warn' = 'info'): DeliveryVerdict => ({
  kind: 'answer',
  status: 200,
  reason,
  level,
});
const refuse = (reason: string): DeliveryVerdict => ({ kind: 'answer', status: 400, reason, level: 'warn' });

/** Sorts one parsed delivery body (JSON, or the `payload` of a form, or the form's fields). */
export function checkDelivery(body: unknown, routes: SlackRoutes): DeliveryVerdict {
  if (!isRecord(body)) return refuse(`body is ${kindOf(body)}, not an object`);
  if (body.ssl_check === '1') return ignore('ssl_check');
  if (typeof body.command === 'string') return ignore(`slash command ${label(body.command)} not handled`);
  switch (body.type) {
    case 'url_verification':
      return typeof body.challenge === 'string'
        ? {
            kind: 'answer',
            status: 200,
            reason: 'url_verification',
            level: 'info',
            json: { challenge: body.challenge },
          }
        : refuse('url_verification without a challenge');
    case 'app_rate_limited':
      return ignore(
        `Slack is rate-limiting event deliveries to this app (app_rate_limited, minute ${label(String(body.minute_rate_limited))})`,
        'warn',
      );
    case 'event_callback':
      return checkEventCallback(body, routes);
    case 'block_actions':
      return checkBlockActions(body, routes);
    case 'view_submission':
      return checkViewSubmission(body, routes);
    default:
      if (body.event !== undefined)
        return refuse(`an event outside an event_callback envelope (${label(body.type)})`);
      if (typeof body.type === 'string' && IGNORED_INTERACTIONS.has(body.type))
        return ignore(`${body.type} not handled`);
      return refuse(`unknown delivery type ${label(body.type)}`);
  }
}

function checkEventCallback(body: Json, routes: SlackRoutes): DeliveryVerdict {
  const event = body.event;
  if (event === undefined) return refuse('event_callback without an event');
  if (!isRecord(event)) return refuse(`event_callback whose event is ${kindOf(event)}`);
  if (typeof event.type !== 'string') return refuse('event_callback whose event has no type');
  const unreadable = boltUnreadableEvent(body, event);
  if (unreadable !== undefined) return refuse(`${label(event.type)} event: ${unreadable}`);
  if (!routes.events.includes(event.type)) return ignore(`event type ${label(event.type)} not handled`);
  return { kind: 'forward' };
}

/**
 * The fields Bolt reads from an event envelope without checking them (`'x' in value` on a
 * primitive throws, and so does a property of `null`): each must be absent or of the kind Slack sends.
 */
function boltUnreadableEvent(body: Json, event: Json): string | undefined {
  const channel = event.channel;
  if (channel !== undefined && typeof channel !== 'string' && !isRecord(channel))
    return `channel is ${kindOf(channel)}`;
  if (event.user === null) return 'user is null';
  if (event.item !== undefined && !isRecord(event.item)) return `item is ${kindOf(event.item)}`;
  if (event.subteam !== undefined && !isRecord(event.subteam)) return `subteam is ${kindOf(event.subteam)}`;
  const authorizations = body.authorizations;
  if (authorizations !== undefined && (!Array.isArray(authorizations) || !authorizations.every(isRecord)))
    return 'authorizations are not a list of objects';
  return undefined;
}

/** Bolt reads `user.id` (and `user.team_id`), `channel.id` and `response_urls.length` of an interaction. */
function boltUnreadableInteraction(body: Json): string | undefined {
  if (!isRecord(body.user) || typeof body.user.id !== 'string') return 'no user';
  if (body.channel === null) return 'channel is null';
  if (body.response_urls !== undefined && !Array.isArray(body.response_urls))
    return 'response_urls is not a list';
  return undefined;
}

function checkBlockActions(body: Json, routes: SlackRoutes): DeliveryVerdict {
  const actions = body.actions;
  if (!Array.isArray(actions) || actions.length === 0) return refuse('block_actions without actions');
  if (!actions.every((a) => isRecord(a) && typeof a.action_id === 'string'))
    return refuse('block_actions with an action that has no action_id');
  const unreadable = boltUnreadableInteraction(body);
  if (unreadable !== undefined) return refuse(`block_actions: ${unreadable}`);
  // Bolt matches listeners on the first action only (Slack sends one per click).
  const first = (actions[0] as Json).action_id as string;
  if (!routes.actionIds.test(first)) return ignore(`block_actions with unknown action id ${label(first)}`);
  return { kind: 'forward' };
}

function checkViewSubmission(body: Json, routes: SlackRoutes): DeliveryVerdict {
  const view = body.view;
  if (!isRecord(view) || typeof view.callback_id !== 'string')
    return refuse('view_submission without a view');
  const unreadable = boltUnreadableInteraction(body);
  if (unreadable !== undefined) return refuse(`view_submission: ${unreadable}`);
  if (!routes.viewCallbacks.includes(view.callback_id))
    return ignore(`view_submission with unknown callback ${label(view.callback_id)}`);
  return { kind: 'forward' };
}
