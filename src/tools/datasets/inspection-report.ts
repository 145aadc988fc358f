import { sectionWarning } from './dataset-failure.js';
import {
  parquetSection,
  rowCountsFromSize,
  statusSection,
  structureSection,
  type RowCounts,
} from './overview-sections.js';
import { renderSampleRows } from './sample-rows.js';
import { schemaSection } from './schema-section.js';
import type { Settled } from './settled.js';
import { trainingFormat } from './training-format.js';
import type { FirstRows, Info, IsValid, Parquet, Size, Splits } from './viewer-shapes.js';

export interface Inspection {
  dataset: string;
  config: string;
  split: string;
  sampleRows: number;
  valid: Settled<IsValid>;
  splits: Splits;
  parquet: Settled<Parquet>;
  size: Settled<Size>;
  info: Settled<Info>;
  /** Absent when no sample rows were asked for. */
  rows: Settled<FirstRows> | undefined;
}

/**
 * The result in the reference's order (Status, Structure, Schema, Sample Rows with the messages'
 * format, Files), plus the training format and a `load_dataset` line; a section whose answer
 * failed is left out and named under **Warnings**.
 */
export function inspectionReport(inspection: Inspection): string {
  const { dataset, config, split, valid, parquet, size, info, rows: rowsResult } = inspection;
  const warnings: string[] = [];
  const sections: string[] = [];
  if (valid.ok) sections.push(statusSection(valid.value));
  else warnings.push(sectionWarning('status', valid.error));

  const counts: RowCounts = size.ok ? rowCountsFromSize(size.value) : new Map<string, never>();
  if (!size.ok) warnings.push(sectionWarning('row counts', size.error));
  if (counts.size === 0 && info.ok) {
    // Without /size, the config's own split infos still give its row counts.
    for (const [name, s] of Object.entries(info.value.dataset_info.splits ?? {})) {
      if (typeof s.num_examples === 'number') {
        counts.set(`${config}/${name}`, { rows: s.num_examples, estimated: false });
      }
    }
  }
  sections.push(structureSection(inspection.splits, counts));

  const features = featuresOf(info, rowsResult);
  if (!info.ok) warnings.push(sectionWarning('schema', info.error));
  if (features.size > 0) sections.push(schemaSection(config, features));

  const rows = rowsResult?.ok ? rowsResult.value.rows.slice(0, inspection.sampleRows) : [];
  if (features.size > 0 || rows.length > 0) {
    const firstRow = rows[0]?.row ?? {};
    const format = trainingFormat({
      names: features.size > 0 ? [...features.keys()] : Object.keys(firstRow),
      feature: (name) => features.get(name),
      sample: (name) => firstRow[name],
    });
    sections.push(['## Training format', ...format.map((line) => `- ${line}`)].join('\n'));
  }
  if (rowsResult && !rowsResult.ok) warnings.push(sectionWarning('sample rows', rowsResult.error));
  if (rowsResult?.ok) {
    const heading = `## Sample Rows (${config}/${split})`;
    sections.push(rows.length > 0 ? renderSampleRows(heading, rows) : `${heading}\n(no rows)`);
  }

  if (parquet.ok) {
    const files = parquetSection(parquet.value);
    if (files) sections.push(files);
  } else {
    warnings.push(sectionWarning('parquet files', parquet.error));
  }
  const configArg = config === 'default' ? '' : `, ${JSON.stringify(config)}`;
  sections.push(
    `## Load\n\`load_dataset(${JSON.stringify(dataset)}${configArg}, split=${JSON.stringify(split)})\``,
  );

  let text = `# ${dataset}\nhttps://huggingface.co/datasets/${dataset}\n\n${sections.join('\n\n')}`;
  if (warnings.length > 0) text += `\n\n**Warnings:** ${warnings.join('; ')}`;
  return text;
}

/** The config's columns: /info's features, else the ones /first-rows sends with its rows. */
function featuresOf(info: Settled<Info>, rows: Settled<FirstRows> | undefined): Map<string, unknown> {
  if (info.ok && info.value.dataset_info.features)
    return new Map(Object.entries(info.value.dataset_info.features));
  if (rows?.ok && rows.value.features) return new Map(rows.value.features.map((f) => [f.name, f.type]));
  return new Map();
}
