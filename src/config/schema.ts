import { z } from 'zod';
import { skillSourceProblem } from '../skills/skill-source.js';
import { mcpServersSchema } from './mcp-schema.js';

const modelName = /^[a-z0-9-]+\/[\w.:/-]+$/;
const MODEL_NAME_MESSAGE =
  'must look like "anthropic/<model-id>", "hf/<org>/<model>[:<provider>]" or "openai/<model>"';

/** The one schema for the agent config. `configs/default.json` holds the defaults operators see. */
export const configSchema = z.strictObject({
  /** `anthropic/<id>`, `hf/<org>/<model>[:<provider>]` or `openai/<model>` (see `parseModelName`). */
  model: z.string().regex(modelName, MODEL_NAME_MESSAGE),
  /**
   * The model used instead of an `anthropic/` one when ANTHROPIC_API_KEY is unset and HF_TOKEN is
   * set: an open model with tool calls, through Hugging Face Inference Providers.
   */
  openModel: z.string().regex(modelName, MODEL_NAME_MESSAGE).default('hf/moonshotai/Kimi-K2.6'),
  /**
   * What the intern cannot read elsewhere, per model name (`"openai/llama3.1": {...}`): the context
   * window and the price in USD per million tokens. The router's list wins where it has them.
   */
  models: z
    .record(
      z.string().regex(modelName, MODEL_NAME_MESSAGE),
      z.strictObject({
        contextWindowTokens: z.number().int().min(1_000).optional(),
        usdPerMTokIn: z.number().nonnegative().optional(),
        usdPerMTokOut: z.number().nonnegative().optional(),
      }),
    )
    .default({}),
  maxIterations: z.number().int().min(1).max(10_000).default(300),
  /** Output token cap of one LLM call. */
  maxOutputTokens: z.number().int().min(256).max(200_000).default(16_000),
  /** Overrides the model's known context window (tokens). */
  contextWindowTokens: z.number().int().min(1_000).optional(),
  /** Compact when the prompt reaches this fraction of the context window. */
  compactionThreshold: z.number().gt(0).max(1).default(0.9),
  /** Messages kept verbatim at the end of the history when compacting. */
  compactionKeepRecent: z.number().int().min(1).max(200).default(6),
  /** Path of the system prompt, relative to the project root unless absolute. */
  systemPrompt: z.string().min(1).default('configs/system-prompt.md'),
  /** False sends one `assistant_message` per answer instead of `assistant_chunk`s. */
  stream: z.boolean().default(true),
  llm: z
    .strictObject({
      maxRetries: z.number().int().min(0).max(20).default(6),
      timeoutMs: z.number().int().min(1_000).default(600_000),
      /**
       * A `retry-after` longer than this is not waited out: the call fails at once with the wait
       * in its message (a worker should not sit on a turn for an hour).
       */
      maxRetryAfterMs: z.number().int().min(0).max(3_600_000).default(60_000),
    })
    .prefault({}),
  approval: z
    .strictObject({
      yolo: z.boolean().default(false),
      require: z.array(z.string().min(1)).default([]),
      approvers: z.union([z.enum(['owner', 'channel']), z.array(z.string().min(1))]).default('owner'),
    })
    .prefault({}),
  access: z
    .strictObject({
      workspaces: z.array(z.string()).default([]),
      channels: z.array(z.string()).default([]),
      users: z.array(z.string()).default([]),
      /** Discord: allowed guilds and roles (a member needs one of the roles). */
      guilds: z.array(z.string()).default([]),
      roles: z.array(z.string()).default([]),
    })
    .prefault({}),
  worker: z
    .strictObject({
      /** Turns at once, per worker process. */
      concurrency: z.number().int().min(1).max(10_000).default(50),
      /** Worker processes `start` runs beside its chat adapters; 0: one per CPU core. */
      processes: z.number().int().min(0).max(64).default(0),
      lockMs: z.number().int().min(500).max(600_000).default(2_000),
      stalledIntervalMs: z.number().int().min(250).max(600_000).default(1_000),
    })
    .prefault({}),
  redis: z.strictObject({ prefix: z.string().min(1).max(50).default('mlib') }).prefault({}),
  /** HF Jobs: the namespace (empty: the token owner's), whether CPU jobs ask, the default timeout. */
  jobs: z
    .strictObject({
      namespace: z.string().default(''),
      confirmCpuJobs: z.boolean().default(true),
      defaultTimeout: z
        .string()
        .regex(/^\d+(\.\d+)?\s*[smhd]?$/i, 'must be a duration such as "90s", "30m", "2h", "1d" or seconds')
        .default('30m'),
    })
    .prefault({}),
  /**
   * Money: yolo mode runs priced calls unasked while their estimate fits in what is left of
   * `yoloCapUsd` for the thread.
   */
  budget: z
    .strictObject({
      yoloCapUsd: z.number().nonnegative().default(5),
      warnAtUsd: z.number().positive().default(5),
      /** Optional caps on what is spent per UTC day, in all and per user, checked before spending. */
      perDayUsd: z.number().positive().optional(),
      perUserDailyUsd: z.number().positive().optional(),
    })
    .prefault({}),
  events: z.strictObject({ maxLen: z.number().int().min(100).default(10_000) }).prefault({}),
  slack: z
    .strictObject({
      /** Slack's streaming messages (chat.startStream) instead of post-then-edit. */
      streaming: z.boolean().default(false),
      /** Attached text files up to this size are read into the message. */
      maxFileBytes: z.number().int().min(0).max(10_000_000).default(200_000),
    })
    .prefault({}),
  discord: z
    .strictObject({
      /** Attached text files up to this size are read into the message. */
      maxFileBytes: z.number().int().min(0).max(10_000_000).default(200_000),
      /** Guild to register the /intern command in (instant); empty registers it globally. */
      commandGuild: z.string().default(''),
    })
    .prefault({}),
  /**
   * Code tools (`read`, `write`, `edit`, `bash`). `local`: each session works in
   * `<workspaceRoot>/<session id>` (relative to the project root unless absolute) and `bash` runs in
   * bubblewrap, with network only when `network` is true. `hf-sandbox`: each session gets its own
   * Hugging Face Sandbox (an HF Job of `sandboxHardware` running `sandboxImage`), created on first
   * use and cancelled at the session's end or after `sandboxIdleMinutes` without use.
   */
  code: z
    .strictObject({
      runtime: z.enum(['local', 'hf-sandbox'], { error: 'must be "local" or "hf-sandbox"' }).default('local'),
      workspaceRoot: z.string().min(1).default('.data/workspaces'),
      network: z.boolean().default(false),
      sandboxHardware: z.string().min(1).default('cpu-basic'),
      sandboxImage: z.string().min(1).default('python:3.12'),
      sandboxIdleMinutes: z.number().positive().max(1_440).default(30),
      /** How long a new sandbox may take to answer `/health` (GPU flavors can wait for a machine). */
      sandboxStartTimeoutSeconds: z.number().positive().max(3_600).default(300),
    })
    .prefault({}),
  /** The `research` sub-agent's limits: LLM calls, tokens (in + out) and one call's deadline. */
  research: z
    .strictObject({
      maxIterations: z.number().int().min(1).max(200).default(60),
      tokenBudget: z.number().int().min(1_000).default(400_000),
      callTimeoutMs: z.number().int().min(1_000).default(180_000),
    })
    .prefault({}),
  /**
   * Where Agent Skills come from: `github:owner/repo[@ref][/path]`, `hf:owner/repo` or a local folder
   * (relative to the project root unless absolute).
   */
  skills: z
    .array(
      z
        .string()
        .min(1)
        .superRefine((source, ctx) => {
          const problem = skillSourceProblem(source);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
    )
    .default(['github:huggingface/skills/skills']),
  /** MCP servers whose tools the intern gets as `<server>__<tool>` (see mcp-schema.ts). */
  mcpServers: mcpServersSchema,
});

export type Config = z.infer<typeof configSchema>;
