import type { IsValid, Parquet, Size, Splits } from './viewer-shapes.js';

/**
 * The dataset-wide sections of the result, as the reference has them (Status; Structure: configs
 * and splits, here with row counts from /size; Files: the parquet export), each capped so a
 * dataset with hundreds of configs stays readable.
 */

const MAX_SPLIT_ROWS = 20;
const MAX_PARQUET_GROUPS = 10;
const FLAGS = ['viewer', 'preview', 'search', 'filter', 'statistics'] as const;

export function statusSection(valid: IsValid): string {
  const available = FLAGS.filter((flag) => valid[flag] === true);
  if (available.length === 0) {
    return '## Status\n✗ The dataset viewer cannot show this dataset (no preview); it may still load with `datasets`.';
  }
  const missing = FLAGS.filter((flag) => valid[flag] !== true);
  const note =
    valid.viewer !== true && valid.preview === true
      ? '\nOnly a preview of the first rows (the full viewer is not available: the dataset may be too big or not converted).'
      : '';
  return `## Status\n✓ Valid (${available.join(', ')})${missing.length > 0 ? `; not available: ${missing.join(', ')}` : ''}${note}`;
}

export interface ConfigSplits {
  name: string;
  splits: string[];
}

/** `/splits` grouped by config, in the viewer's order. */
export function configsOf(splits: Splits): ConfigSplits[] {
  const configs = new Map<string, ConfigSplits>();
  for (const item of splits.splits) {
    let config = configs.get(item.config);
    if (!config) {
      config = { name: item.config, splits: [] };
      configs.set(item.config, config);
    }
    config.splits.push(item.split);
  }
  return [...configs.values()];
}

/** Row counts by `config/split`: from /size, else (for one config) from /info's split infos. */
export type RowCounts = Map<string, { rows: number; estimated: boolean }>;

export function rowCountsFromSize(size: Size): RowCounts {
  const counts: RowCounts = new Map();
  for (const split of size.size.splits) {
    // `estimated_num_rows` is set only when the viewer converted part of the split (the first 5 GB).
    const estimated = typeof split.estimated_num_rows === 'number';
    const rows = estimated ? split.estimated_num_rows : split.num_rows;
    if (typeof rows === 'number') counts.set(`${split.config}/${split.split}`, { rows, estimated });
  }
  return counts;
}

export function structureSection(splits: Splits, counts: RowCounts): string {
  const configs = configsOf(splits);
  const withRows = counts.size > 0;
  const lines = [
    `## Structure (${configs.length} config${configs.length === 1 ? '' : 's'})`,
    withRows ? '| Config | Split | Rows |' : '| Config | Split |',
    withRows ? '|--------|-------|------|' : '|--------|-------|',
  ];
  const total = configs.reduce((sum, c) => sum + c.splits.length, 0);
  let shown = 0;
  outer: for (const config of configs) {
    for (const split of config.splits) {
      if (shown >= MAX_SPLIT_ROWS) break outer;
      const count = counts.get(`${config.name}/${split}`);
      const rows = count ? `${count.estimated ? '~' : ''}${count.rows.toLocaleString('en')}` : '?';
      lines.push(withRows ? `| ${config.name} | ${split} | ${rows} |` : `| ${config.name} | ${split} |`);
      shown++;
    }
  }
  if (total > shown)
    lines.push(`(_showing ${shown} of ${total} config/split rows; pass \`config\` to see one_)`);
  const pending = splits.pending ?? [];
  if (pending.length > 0) {
    lines.push(
      `Still processing: ${pending
        .map((p) => p.config)
        .slice(0, 10)
        .join(', ')}`,
    );
  }
  const failed = splits.failed ?? [];
  if (failed.length > 0) {
    const shownFailed = failed
      .slice(0, 5)
      .map((f) => `${f.config}${f.error?.error ? ` (${f.error.error.slice(0, 120)})` : ''}`);
    lines.push(`Failed in the viewer: ${shownFailed.join('; ')}`);
  }
  return lines.join('\n');
}

export function parquetSection(parquet: Parquet): string | undefined {
  const files = parquet.parquet_files;
  if (files.length === 0) return undefined;
  const groups = new Map<string, { count: number; size: number }>();
  for (const file of files) {
    const key = `${file.config}/${file.split}`;
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += typeof file.size === 'number' ? file.size : 0;
    groups.set(key, group);
  }
  const lines = [`## Files (Parquet${parquet.partial ? ', partial: the first 5 GB of each split' : ''})`];
  const entries = [...groups.entries()];
  for (const [key, group] of entries.slice(0, MAX_PARQUET_GROUPS)) {
    lines.push(`- ${key}: ${group.count} file(s) (${(group.size / (1024 * 1024)).toFixed(1)} MB)`);
  }
  if (entries.length > MAX_PARQUET_GROUPS) {
    lines.push(`- ... (_showing ${MAX_PARQUET_GROUPS} of ${entries.length} parquet groups_)`);
  }
  return lines.join('\n');
}
