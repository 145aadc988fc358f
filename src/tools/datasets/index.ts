import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { inspectDatasetTool, type InspectDatasetOptions } from './inspect-dataset-tool.js';

export type { InspectDatasetOptions } from './inspect-dataset-tool.js';

/** The dataset tools: `hf_inspect_dataset`, over the dataset viewer API (`HF_DATASETS_SERVER_URL`). */
export function datasetsTools(services: ToolServices, options: InspectDatasetOptions = {}): AnyToolSpec[] {
  return [inspectDatasetTool(services, options)];
}
