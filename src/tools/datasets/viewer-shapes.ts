import { z } from 'zod';

/**
 * The dataset viewer's answers, as its OpenAPI description has them
 * (huggingface/dataset-viewer `docs/source/openapi.json`: IsValidResponse, SplitsResponse,
 * InfoResponse, FirstRowsResponse, ParquetResponse, DatasetSizeResponse). Only the fields the tool
 * reads are checked; everything else passes through, so a new field never breaks the tool, while
 * an answer of the wrong shape is a malformed answer rather than a crash.
 */

/** `GET /is-valid?dataset=`: which viewer features work for the dataset. */
export const isValidShape = z.looseObject({
  viewer: z.boolean().optional(),
  preview: z.boolean().optional(),
  search: z.boolean().optional(),
  filter: z.boolean().optional(),
  statistics: z.boolean().optional(),
});
export type IsValid = z.infer<typeof isValidShape>;

const configItem = z.looseObject({ dataset: z.string().optional(), config: z.string() });
const failedConfigItem = z.looseObject({
  config: z.string(),
  error: z.looseObject({ error: z.string().optional() }).optional(),
});

/** `GET /splits?dataset=`: every (config, split) pair, plus configs still pending or failed. */
export const splitsShape = z.looseObject({
  splits: z.array(z.looseObject({ dataset: z.string().optional(), config: z.string(), split: z.string() })),
  pending: z.array(configItem).optional(),
  failed: z.array(failedConfigItem).optional(),
});
export type Splits = z.infer<typeof splitsShape>;

/**
 * A `datasets` feature as JSON (`Value`, `ClassLabel`, `List`, `Sequence`, `Image`…, a dict of
 * features, or the legacy list `[feature]`): left open, the renderer walks it defensively.
 */
export const featureShape = z.unknown();

/** `GET /info?dataset=&config=`: a dump of the config's `DatasetInfo`. */
export const infoShape = z.looseObject({
  dataset_info: z.looseObject({
    features: z.record(z.string(), featureShape).optional(),
    splits: z
      .record(
        z.string(),
        z.looseObject({ num_examples: z.number().nullish(), num_bytes: z.number().nullish() }),
      )
      .nullish(),
    description: z.string().nullish(),
    license: z.string().nullish(),
  }),
  partial: z.boolean().optional(),
});
export type Info = z.infer<typeof infoShape>;

/** `GET /first-rows?dataset=&config=&split=`: the features and the first (up to 100) rows. */
export const firstRowsShape = z.looseObject({
  features: z.array(z.looseObject({ name: z.string(), type: featureShape })).optional(),
  rows: z.array(
    z.looseObject({
      row_idx: z.number().optional(),
      row: z.record(z.string(), z.unknown()),
      truncated_cells: z.array(z.string()).optional(),
    }),
  ),
  truncated: z.boolean().optional(),
});
export type FirstRows = z.infer<typeof firstRowsShape>;

/** `GET /parquet?dataset=`: the parquet export (branch `refs/convert/parquet`), file by file. */
export const parquetShape = z.looseObject({
  parquet_files: z.array(
    z.looseObject({
      config: z.string(),
      split: z.string(),
      size: z.number().nullish(),
      url: z.string().optional(),
    }),
  ),
  partial: z.boolean().optional(),
});
export type Parquet = z.infer<typeof parquetShape>;

/** `GET /size?dataset=`: row counts and bytes per dataset, config and split. */
export const sizeShape = z.looseObject({
  size: z.looseObject({
    dataset: z
      .looseObject({ num_rows: z.number().nullish(), estimated_num_rows: z.number().nullish() })
      .optional(),
    splits: z.array(
      z.looseObject({
        config: z.string(),
        split: z.string(),
        num_rows: z.number().nullish(),
        estimated_num_rows: z.number().nullish(),
        num_bytes_parquet_files: z.number().nullish(),
      }),
    ),
  }),
  partial: z.boolean().optional(),
});
export type Size = z.infer<typeof sizeShape>;
