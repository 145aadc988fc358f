/**
 * Which files answer "show me an example of <keyword>": the reference agent's habit, made
 * deterministic. Files under `examples/` or `scripts/` come first, then other example-like folders
 * (notebooks, tutorials, recipes…), then the rest; within each, a file named after the keyword beats
 * one whose name contains it, which beats a folder name, which beats a match in the content only;
 * then the search engine's own order, and shallower paths before deeper ones.
 */

/** Folders whose files are working examples (the reference's first patterns). */
const EXAMPLE_FOLDERS = new Set(['examples', 'example', 'scripts']);
/** Folders that hold examples under another name. */
const EXAMPLE_LIKE_FOLDERS = new Set([
  'notebooks',
  'notebook',
  'tutorials',
  'tutorial',
  'quickstart',
  'cookbook',
  'cookbooks',
  'recipes',
  'recipe',
  'demos',
  'demo',
  'samples',
  'sample',
  'guides',
  'getting-started',
  'getting_started',
  'walkthroughs',
  'use-cases',
  'use_cases',
  'showcase',
]);
/** Files no one reads as an example (media, weights, archives, lockfiles). */
const NOT_EXAMPLES =
  /\.(png|jpe?g|gif|svg|ico|webp|bmp|mp4|mov|webm|wav|mp3|flac|pdf|zip|gz|tgz|bz2|xz|tar|whl|bin|pt|pth|ckpt|safetensors|onnx|h5|pkl|parquet|arrow|npy|npz|ttf|woff2?|lock)$/i;

export interface ExampleCandidate {
  repo: string;
  path: string;
  url: string;
  size?: number | undefined;
  /** A line of the content that matched (code search), when there is one. */
  fragment?: string | undefined;
  /** The keyword was found in the content (code search), not necessarily in the path. */
  contentMatch?: boolean;
  /** Position in the search engine's own ranking, as the last tie-breaker. */
  order?: number;
}

/**
 * 0 = examples/ or scripts/, 1 = another example-like folder, 2 = elsewhere, decided by the deepest
 * such folder: `examples/scripts/sft.py` is 0, `examples/notebooks/sft.ipynb` is 1.
 */
export function exampleArea(path: string): 0 | 1 | 2 {
  const folders = path.toLowerCase().split('/').slice(0, -1).reverse();
  for (const folder of folders) {
    if (EXAMPLE_FOLDERS.has(folder)) return 0;
    if (EXAMPLE_LIKE_FOLDERS.has(folder)) return 1;
  }
  return 2;
}

/** "Image-Classification" and "image_classification" both read "image classification". */
function words(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

function keywordTerms(keyword: string): string[] {
  return words(keyword).trim().split(' ').filter(Boolean);
}

/**
 * 3 = the file is named after the keyword (`sft.py` for "sft"), 2 = every keyword term is in the
 * file name, 1 = in the path, 0 = not in the path.
 */
export function pathMatch(path: string, keyword: string): 0 | 1 | 2 | 3 {
  const terms = keywordTerms(keyword);
  if (terms.length === 0) return 0;
  const name = path.split('/').pop() ?? '';
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  if (words(stem) === words(keyword)) return 3;
  const fileName = words(name);
  if (terms.every((term) => fileName.includes(term))) return 2;
  const whole = words(path);
  return terms.every((term) => whole.includes(term)) ? 1 : 0;
}

export function isExampleFile(path: string): boolean {
  return !NOT_EXAMPLES.test(path);
}

/** The candidates in the order described above, one entry per repo and path. */
export function rankExamples(candidates: ExampleCandidate[], keyword: string): ExampleCandidate[] {
  const byKey = new Map<string, ExampleCandidate>();
  for (const candidate of candidates) {
    const key = `${candidate.repo}\u0000${candidate.path}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? mergeCandidates(seen, candidate) : candidate);
  }
  const scored = [...byKey.values()].map((candidate) => ({
    candidate,
    area: exampleArea(candidate.path),
    match: pathMatch(candidate.path, keyword),
    depth: candidate.path.split('/').length,
  }));
  scored.sort(
    (a, b) =>
      a.area - b.area ||
      b.match - a.match ||
      (a.candidate.order ?? Infinity) - (b.candidate.order ?? Infinity) ||
      a.depth - b.depth ||
      a.candidate.path.localeCompare(b.candidate.path),
  );
  return scored.map((entry) => entry.candidate);
}

function mergeCandidates(a: ExampleCandidate, b: ExampleCandidate): ExampleCandidate {
  return {
    ...a,
    size: a.size ?? b.size,
    fragment: a.fragment ?? b.fragment,
    contentMatch: Boolean(a.contentMatch || b.contentMatch),
    order: Math.min(a.order ?? Infinity, b.order ?? Infinity),
  };
}
