import { randomBytes } from 'node:crypto';
import { blockProblems, MAX_VIEW_BLOCKS } from './fake-slack-blocks.js';
import { slackId } from './fake-slack-ids.js';
import type { ApiResult, MethodContext, MethodSpec } from './fake-slack-method.js';
import { fail, ok, str } from './fake-slack-method.js';
import type { FakeView } from './fake-slack-workspace.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks a view definition as Slack does: a type, a title for modals, at most 100 blocks. */
function viewError(view: unknown): ApiResult | undefined {
  if (!isRecord(view) || typeof view.type !== 'string') return fail('invalid_arguments');
  const problems: string[] = [];
  if (view.type === 'modal' && !isRecord(view.title))
    problems.push('missing required field: title [json-pointer:/view/title]');
  problems.push(
    ...blockProblems(view.blocks ?? [], MAX_VIEW_BLOCKS).map((p) =>
      p.replace('[json-pointer:/blocks', '[json-pointer:/view/blocks'),
    ),
  );
  return problems.length > 0
    ? fail('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } })
    : undefined;
}

function viewOutput(ctx: MethodContext, stored: FakeView): Record<string, unknown> {
  const { identity } = ctx;
  const view = stored.view;
  return {
    id: stored.id,
    team_id: identity.teamId,
    type: view.type,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash: stored.hash,
    title: view.title,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: null,
    root_view_id: stored.id,
    app_id: identity.appId,
    external_id: stored.externalId ?? '',
    app_installed_team_id: identity.teamId,
    bot_id: identity.botId,
  };
}

function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
}

function store(ctx: MethodContext, view: Record<string, unknown>, extra: Partial<FakeView>): FakeView {
  const stored: FakeView = {
    id: slackId('V'),
    view,
    hash: newHash(),
    externalId: typeof view.external_id === 'string' ? view.external_id : undefined,
    updates: 0,
    ...extra,
  };
  ctx.workspace.views.set(stored.id, stored);
  return stored;
}

/** `views.open` and `views.push`: both need a trigger_id (Slack expires them after 3 s). */
function open(ctx: MethodContext): ApiResult {
  const trigger = str(ctx.args, 'trigger_id');
  if (trigger === undefined) return fail('invalid_arguments');
  const refused = viewError(ctx.args.view);
  if (refused !== undefined) return refused;
  const stored = store(ctx, ctx.args.view as Record<string, unknown>, { triggerId: trigger });
  return ok({ view: viewOutput(ctx, stored) });
}

function update(ctx: MethodContext): ApiResult {
  const viewId = str(ctx.args, 'view_id');
  const externalId = str(ctx.args, 'external_id');
  const stored =
    viewId !== undefined
      ? ctx.workspace.views.get(viewId)
      : [...ctx.workspace.views.values()].find(
          (v) => externalId !== undefined && v.externalId === externalId,
        );
  if (viewId === undefined && externalId === undefined) return fail('invalid_arguments');
  if (stored === undefined) return fail('not_found');
  const hash = str(ctx.args, 'hash');
  if (hash !== undefined && hash !== stored.hash) return fail('hash_conflict');
  const refused = viewError(ctx.args.view);
  if (refused !== undefined) return refused;
  stored.view = ctx.args.view as Record<string, unknown>;
  stored.hash = newHash();
  stored.updates += 1;
  return ok({ view: viewOutput(ctx, stored) });
}

function publish(ctx: MethodContext): ApiResult {
  const userId = str(ctx.args, 'user_id');
  if (userId === undefined) return fail('invalid_arguments');
  const refused = viewError(ctx.args.view);
  if (refused !== undefined) return refused;
  const home = [...ctx.workspace.views.values()].find((v) => v.userId === userId);
  if (home !== undefined) {
    home.view = ctx.args.view as Record<string, unknown>;
    home.hash = newHash();
    home.updates += 1;
    return ok({ view: viewOutput(ctx, home) });
  }
  const stored = store(ctx, ctx.args.view as Record<string, unknown>, { userId });
  return ok({ view: viewOutput(ctx, stored) });
}

/** `views.open`, `views.push`, `views.update`, `views.publish`. */
export const VIEW_METHODS: Record<string, MethodSpec> = {
  'views.open': { token: 'bot', handle: open },
  'views.push': { token: 'bot', handle: open },
  'views.update': { token: 'bot', handle: update },
  'views.publish': { token: 'bot', handle: publish },
};
