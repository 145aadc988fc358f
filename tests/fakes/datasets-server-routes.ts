import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * A fake of the dataset viewer API (`HF_DATASETS_SERVER_URL`) and of the Hub's dataset auth-check,
 * speaking their real shapes:
 * - success bodies: huggingface/dataset-viewer `docs/source/openapi.json` (IsValidResponse,
 *   SplitsResponse, InfoResponse with a `DatasetInfo` dump, FirstRowsResponse with FeatureItem and
 *   RowItem, ParquetResponse with SplitHubFile, DatasetSizeResponse);
 * - errors: `{"error": "..."}` with an `X-Error-Code` header (libapi/utils.py get_json_api_error_response):
 *   the viewer asks the Hub's `/api/datasets/{id}/auth-check` with the caller's Authorization and answers
 *   401 `ExternalUnauthenticatedError` or 404 `ExternalAuthenticatedError` for a refused gated, private or
 *   missing dataset (libapi/authentication.py); 501 `NotSupportedPrivateRepositoryError` for a private
 *   dataset of an owner that is neither PRO nor Enterprise and 501 `NotSupportedDisabledViewerError`
 *   (libcommon/operations.py); 500 `ResponseNotReady` while processing, 404 `ResponseNotFound` for a
 *   config or split that does not exist, 422 `MissingRequiredParameter` (libapi/exceptions.py);
 * - the Hub's auth-check: 200; 401/403 with `X-Error-Code: GatedRepo`; 401/404 with
 *   `X-Error-Code: RepoNotFound`; 401 `Invalid credentials in Authorization header` for a bad token
 *   (the codes and messages huggingface_hub's hf_raise_for_status reads).
 */

export type ViewerEndpointName = 'is-valid' | 'splits' | 'info' | 'first-rows' | 'parquet' | 'size';

export interface FakeSplit {
  name: string;
  rows: Record<string, unknown>[];
  /** The split's full row count (default: the rows given). */
  numRows?: number;
  /** Sizes of its parquet files, bytes (default: one file of 1 MB). */
  parquetFiles?: number[];
}

export interface FakeConfig {
  name: string;
  /** `datasets` features as JSON, e.g. `{text: {dtype: 'string', _type: 'Value'}}`. */
  features: Record<string, unknown>;
  splits: FakeSplit[];
}

export interface FakeViewerDataset {
  id: string;
  configs: FakeConfig[];
  gated?: boolean;
  private?: boolean;
  /** Whether the owner of a private dataset is PRO or Enterprise (the viewer serves it then). */
  ownerIsPro?: boolean;
  /** Tokens whose accounts accepted the gate, or may read the private repo. */
  readers?: string[];
  /** Endpoints still processing (500 ResponseNotReady); `true` for all of them. */
  notReady?: true | ViewerEndpointName[];
  viewerDisabled?: boolean;
  validity?: Partial<Record<'viewer' | 'preview' | 'search' | 'filter' | 'statistics', boolean>>;
}

export interface DatasetsServerWorld {
  datasets: FakeViewerDataset[];
  /** Tokens the Hub accepts; when set, any other token is refused as invalid. */
  validTokens?: string[];
  /** Answers every viewer response after this delay (to observe parallel requests). */
  delayMs?: number;
  /** Failure injection per endpoint: an answer replaces the normal one. */
  faults?: Partial<Record<ViewerEndpointName, (request: LoopbackRequest) => LoopbackAnswer | undefined>>;
}

const value = (dtype: string): Record<string, unknown> => ({ dtype, _type: 'Value' });
export const fakeFeature = { value };

function viewerError(status: number, code: string, error: string): LoopbackAnswer {
  return { status, body: { error }, headers: { 'x-error-code': code, 'cache-control': 'max-age=10' } };
}

const EXTERNAL_UNAUTHENTICATED =
  'The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication.';
const EXTERNAL_AUTHENTICATED =
  'The dataset does not exist, or is not accessible with the current credentials (private or gated). Please check the spelling of the dataset name or retry with other authentication credentials.';
const NOT_READY = 'The server is busier than usual and the response is not ready yet. Please retry later.';

/** The Hub's answer to `GET /api/datasets/{id}/auth-check` for this token. */
function hubAuthCheck(world: DatasetsServerWorld, id: string, token: string | undefined): LoopbackAnswer {
  if (token && world.validTokens && !world.validTokens.includes(token)) {
    const said = 'Invalid credentials in Authorization header';
    return { status: 401, body: { error: said }, headers: { 'x-error-message': said } };
  }
  const dataset = world.datasets.find((d) => d.id === id);
  const reader = token !== undefined && (dataset?.readers ?? []).includes(token);
  if (!dataset || (dataset.private && !reader)) {
    const said = token ? 'Repository not found' : 'Invalid username or password.';
    return {
      status: token ? 404 : 401,
      body: { error: said },
      headers: { 'x-error-code': 'RepoNotFound', 'x-error-message': said },
    };
  }
  if (dataset.gated && !reader) {
    const said = token
      ? `Access to dataset ${id} is restricted and you are not in the authorized list. Visit https://huggingface.co/datasets/${id} to ask for access.`
      : `Access to dataset ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
    return {
      status: token ? 403 : 401,
      body: { error: said },
      headers: { 'x-error-code': 'GatedRepo', 'x-error-message': said },
    };
  }
  // HfApi.auth_check ignores the body of a 200.
  return { status: 200, body: {} };
}

/** The viewer's checks before any cached answer: auth, support, processing. */
function gate(
  world: DatasetsServerWorld,
  endpoint: ViewerEndpointName,
  request: LoopbackRequest,
): FakeViewerDataset | LoopbackAnswer {
  const id = request.query.get('dataset') ?? '';
  if (!id.trim()) return viewerError(422, 'MissingRequiredParameter', "Parameter 'dataset' is required");
  const auth = hubAuthCheck(world, id, request.token);
  if (auth.status === 401) return viewerError(401, 'ExternalUnauthenticatedError', EXTERNAL_UNAUTHENTICATED);
  if (auth.status !== 200) return viewerError(404, 'ExternalAuthenticatedError', EXTERNAL_AUTHENTICATED);
  const dataset = world.datasets.find((d) => d.id === id)!;
  if (dataset.private && !dataset.ownerIsPro) {
    return viewerError(
      501,
      'NotSupportedPrivateRepositoryError',
      `Not supported: dataset repository ${id} is private. Private datasets are only supported for pro users and enterprise organizations.`,
    );
  }
  if (dataset.viewerDisabled) {
    return viewerError(
      501,
      'NotSupportedDisabledViewerError',
      `Not supported: dataset viewer is disabled in ${id} configuration.`,
    );
  }
  if (dataset.notReady === true || dataset.notReady?.includes(endpoint)) {
    return viewerError(500, 'ResponseNotReady', NOT_READY);
  }
  return dataset;
}

function numRows(split: FakeSplit): number {
  return split.numRows ?? split.rows.length;
}

function parquetSizes(split: FakeSplit): number[] {
  return split.parquetFiles ?? [1024 * 1024];
}

function datasetInfo(dataset: FakeViewerDataset, config: FakeConfig): Record<string, unknown> {
  const name = dataset.id.split('/').pop() ?? dataset.id;
  const splits = Object.fromEntries(
    config.splits.map((s) => [
      s.name,
      { name: s.name, num_bytes: numRows(s) * 100, num_examples: numRows(s), dataset_name: name },
    ]),
  );
  const bytes = config.splits.reduce((sum, s) => sum + numRows(s) * 100, 0);
  return {
    description: '',
    citation: '',
    homepage: '',
    license: '',
    features: config.features,
    builder_name: 'parquet',
    dataset_name: name,
    config_name: config.name,
    version: { version_str: '0.0.0', major: 0, minor: 0, patch: 0 },
    splits,
    download_size: Math.round(bytes / 2),
    dataset_size: bytes,
  };
}

function answer(world: DatasetsServerWorld, body: unknown): LoopbackAnswer {
  return { status: 200, body, headers: { 'cache-control': 'max-age=120' }, delayMs: world.delayMs };
}

function endpointRoute(
  world: DatasetsServerWorld,
  endpoint: ViewerEndpointName,
  handle: (dataset: FakeViewerDataset, request: LoopbackRequest) => LoopbackAnswer,
): Route {
  return {
    method: 'GET',
    path: `/${endpoint}`,
    handle: (request) => {
      const fault = world.faults?.[endpoint]?.(request);
      if (fault) return fault;
      const checked = gate(world, endpoint, request);
      if (!('configs' in checked)) return { ...checked, delayMs: world.delayMs };
      return handle(checked, request);
    },
  };
}

const notFound = (): LoopbackAnswer => viewerError(404, 'ResponseNotFound', 'Not found.');

/** The viewer's routes, to serve at `HF_DATASETS_SERVER_URL`. */
export function datasetsServerRoutes(world: DatasetsServerWorld): Route[] {
  return [
    endpointRoute(world, 'is-valid', (dataset) =>
      answer(world, {
        preview: true,
        viewer: true,
        search: true,
        filter: true,
        statistics: true,
        ...dataset.validity,
      }),
    ),
    endpointRoute(world, 'splits', (dataset) =>
      answer(world, {
        splits: dataset.configs.flatMap((c) =>
          c.splits.map((s) => ({ dataset: dataset.id, config: c.name, split: s.name })),
        ),
        pending: [],
        failed: [],
      }),
    ),
    endpointRoute(world, 'info', (dataset, request) => {
      const configName = request.query.get('config');
      if (!configName) {
        // Dataset level: one DatasetInfo per config.
        const all = Object.fromEntries(dataset.configs.map((c) => [c.name, datasetInfo(dataset, c)]));
        return answer(world, { dataset_info: all, pending: [], failed: [], partial: false });
      }
      const config = dataset.configs.find((c) => c.name === configName);
      if (!config) return notFound();
      return answer(world, { dataset_info: datasetInfo(dataset, config), partial: false });
    }),
    endpointRoute(world, 'first-rows', (dataset, request) => {
      const configName = request.query.get('config');
      const splitName = request.query.get('split');
      if (!configName || !splitName) {
        return viewerError(
          422,
          'MissingRequiredParameter',
          "Parameters 'split', 'config' and 'dataset' are required",
        );
      }
      const config = dataset.configs.find((c) => c.name === configName);
      const split = config?.splits.find((s) => s.name === splitName);
      if (!config || !split) return notFound();
      return answer(world, {
        dataset: dataset.id,
        config: config.name,
        split: split.name,
        features: Object.entries(config.features).map(([name, type], index) => ({
          feature_idx: index,
          name,
          type,
        })),
        rows: split.rows.slice(0, 100).map((row, index) => ({ row_idx: index, row, truncated_cells: [] })),
        truncated: false,
      });
    }),
    endpointRoute(world, 'parquet', (dataset) =>
      answer(world, {
        parquet_files: dataset.configs.flatMap((c) =>
          c.splits.flatMap((s) =>
            parquetSizes(s).map((size, index) => {
              const filename = `${String(index).padStart(4, '0')}.parquet`;
              return {
                dataset: dataset.id,
                config: c.name,
                split: s.name,
                url: `https://huggingface.co/datasets/${dataset.id}/resolve/refs%2Fconvert%2Fparquet/${c.name}/${s.name}/${filename}`,
                filename,
                size,
              };
            }),
          ),
        ),
        pending: [],
        failed: [],
        partial: false,
      }),
    ),
    endpointRoute(world, 'size', (dataset) => {
      const splits = dataset.configs.flatMap((c) =>
        c.splits.map((s) => ({
          dataset: dataset.id,
          config: c.name,
          split: s.name,
          num_bytes_parquet_files: parquetSizes(s).reduce((a, b) => a + b, 0),
          num_bytes_memory: numRows(s) * 100,
          num_rows: numRows(s),
          num_columns: Object.keys(c.features).length,
          estimated_num_rows: null,
        })),
      );
      const sum = (items: typeof splits, key: 'num_bytes_parquet_files' | 'num_bytes_memory' | 'num_rows') =>
        items.reduce((total, item) => total + item[key], 0);
      const configs = dataset.configs.map((c) => {
        const own = splits.filter((s) => s.config === c.name);
        return {
          dataset: dataset.id,
          config: c.name,
          num_bytes_original_files: sum(own, 'num_bytes_parquet_files'),
          num_bytes_parquet_files: sum(own, 'num_bytes_parquet_files'),
          num_bytes_memory: sum(own, 'num_bytes_memory'),
          num_rows: sum(own, 'num_rows'),
          num_columns: Object.keys(c.features).length,
          estimated_num_rows: null,
        };
      });
      return answer(world, {
        size: {
          dataset: {
            dataset: dataset.id,
            num_bytes_original_files: sum(splits, 'num_bytes_parquet_files'),
            num_bytes_parquet_files: sum(splits, 'num_bytes_parquet_files'),
            num_bytes_memory: sum(splits, 'num_bytes_memory'),
            num_rows: sum(splits, 'num_rows'),
            estimated_num_rows: null,
          },
          configs,
          splits,
        },
        pending: [],
        failed: [],
        partial: false,
      });
    }),
  ];
}

/** The Hub's `GET /api/datasets/{owner}/{name}/auth-check`, to serve at `HF_ENDPOINT`. */
export function hubDatasetAuthCheckRoutes(world: DatasetsServerWorld): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/datasets/:owner/:name/auth-check',
      handle: (request) =>
        hubAuthCheck(world, `${request.params.owner}/${request.params.name}`, request.token),
    },
  ];
}
