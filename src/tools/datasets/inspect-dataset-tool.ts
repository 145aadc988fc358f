import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import { ACCESS_CODES, datasetFailure, noSplitsFailure } from './dataset-failure.js';
import { datasetId } from './dataset-id.js';
import { hubDatasetAccess } from './hub-access.js';
import { inspectionReport } from './inspection-report.js';
import { configsOf } from './overview-sections.js';
import { settle, type Settled } from './settled.js';
import { viewerGet, type ViewerRequest } from './viewer-client.js';
import {
  firstRowsShape,
  infoShape,
  isValidShape,
  parquetShape,
  sizeShape,
  splitsShape,
  type FirstRows,
  type Info,
} from './viewer-shapes.js';

const DEFAULT_SAMPLE_ROWS = 3;
const MAX_SAMPLE_ROWS = 10;
const DEFAULT_TIMEOUT_MS = 15_000;

export interface InspectDatasetOptions {
  /** Per viewer request (first-rows gets twice as long, as in the reference); default 15 s. */
  timeoutMs?: number;
}

const parameters = z.object({
  dataset: z.string().min(1).describe("Dataset id as owner/name, e.g. 'stanfordnlp/imdb'."),
  config: z
    .string()
    .min(1)
    .optional()
    .describe('Config (subset) for the schema and sample rows; default: the first config.'),
  split: z
    .string()
    .min(1)
    .optional()
    .describe("Split for the sample rows; default: 'train' if the config has it, else its first split."),
  sample_rows: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(`Number of sample rows to show (default ${DEFAULT_SAMPLE_ROWS}, at most ${MAX_SAMPLE_ROWS}).`),
});

/**
 * `hf_inspect_dataset`: everything needed before writing training code, in one call, as the
 * reference's dataset_tools.py: validity, configs and splits (with row counts), the schema, sample
 * rows, the parquet files, and which training format the columns fit. The dataset-wide endpoints
 * go out in parallel, then the config's /info and /first-rows in parallel (all at once when the
 * config and split are given). A read: never asks.
 */
export function inspectDatasetTool(services: ToolServices, options: InspectDatasetOptions = {}): AnyToolSpec {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return defineTool({
    name: 'hf_inspect_dataset',
    description:
      'Inspect a Hugging Face dataset in one call: whether the dataset viewer can read it, every config and ' +
      'split with row counts, the columns and their types (ClassLabel names included), sample rows, the ' +
      'parquet files, and which training format the columns fit (SFT `messages`/`text`/`prompt`+`completion`, ' +
      'DPO `prompt`+`chosen`+`rejected`, GRPO `prompt`).\n\n' +
      'Always inspect a dataset before writing training or processing code: column names, types, splits and ' +
      'format must come from here, not from memory. Gated and private datasets work when HF_TOKEN can read them.\n\n' +
      'Examples: {"dataset": "stanfordnlp/imdb"}; {"dataset": "nyu-mll/glue", "config": "mrpc", "sample_rows": 5}',
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const dataset = datasetId(args.dataset);
      const sampleRows = Math.min(args.sample_rows ?? DEFAULT_SAMPLE_ROWS, MAX_SAMPLE_ROWS);
      const token = services.hub.token;
      const request: ViewerRequest = {
        baseUrl: services.datasetsServer.url,
        token,
        signal: ctx.signal,
        timeoutMs,
      };
      const info = (config: string): Promise<Settled<Info>> =>
        settle(viewerGet(request, 'info', { dataset, config }, infoShape));
      const firstRows = (config: string, split: string): Promise<Settled<FirstRows>> =>
        settle(
          viewerGet(
            { ...request, timeoutMs: timeoutMs * 2 },
            'first-rows',
            { dataset, config, split },
            firstRowsShape,
          ),
        );

      // Phase 1, in parallel: the dataset-wide answers, and the config's own when it is known already.
      const early = {
        info: args.config ? info(args.config) : undefined,
        rows: args.config && args.split && sampleRows > 0 ? firstRows(args.config, args.split) : undefined,
      };
      const [valid, splits, parquet, size] = await Promise.all([
        settle(viewerGet(request, 'is-valid', { dataset }, isValidShape)),
        settle(viewerGet(request, 'splits', { dataset }, splitsShape)),
        settle(viewerGet(request, 'parquet', { dataset }, parquetShape)),
        settle(viewerGet(request, 'size', { dataset }, sizeShape)),
      ]);
      if (!splits.ok) {
        const access =
          splits.error.errorCode && ACCESS_CODES.has(splits.error.errorCode)
            ? await hubDatasetAccess(services.hub, dataset, ctx.signal, Math.min(timeoutMs, 5_000))
            : undefined;
        throw datasetFailure(dataset, splits.error, { hasToken: Boolean(token), access });
      }
      const configs = configsOf(splits.value);
      if (configs.length === 0) throw noSplitsFailure(dataset, (splits.value.pending ?? []).length > 0);

      const config = args.config ?? configs[0]!.name;
      const splitNames = configs.find((c) => c.name === config)?.splits;
      if (!splitNames) {
        throw new ToolInputError(
          `Dataset ${dataset} has no config "${config}"; its configs: ${configs
            .map((c) => c.name)
            .slice(0, 30)
            .join(', ')}.`,
        );
      }
      const split = args.split ?? (splitNames.includes('train') ? 'train' : splitNames[0]!);
      if (!splitNames.includes(split)) {
        throw new ToolInputError(
          `Config "${config}" of ${dataset} has no split "${split}"; its splits: ${splitNames.join(', ')}.`,
        );
      }

      // Phase 2, in parallel: the chosen config's schema and the chosen split's first rows.
      const [infoResult, rowsResult] = await Promise.all([
        early.info ?? info(config),
        sampleRows > 0 ? (early.rows ?? firstRows(config, split)) : Promise.resolve(undefined),
      ]);

      const text = inspectionReport({
        dataset,
        config,
        split,
        sampleRows,
        valid,
        splits: splits.value,
        parquet,
        size,
        info: infoResult,
        rows: rowsResult,
      });
      return { output: trimOutput(text, undefined, 'ask for fewer sample_rows, or pass one config') };
    },
  });
}
