import { ToolInputError } from '../shared/service-error.js';

/**
 * The documentation sections `explore_hf_docs` searches: the reference agent's endpoint list
 * (`huggingface/ml-intern` agent/tools/docs_tools.py, `DOC_ENDPOINTS` and `COMPOSITE_ENDPOINTS`),
 * each mapped to the roots the Hub serves an `llms.txt` index under (`/docs/<lib>` or, for the
 * courses and the cookbook, `/learn/<course>`). Gradio is left out: its docs are not on the Hub.
 */
export interface DocsSection {
  name: string;
  /** Paths without a leading slash: `docs/trl`, `learn/llm-course`. */
  roots: readonly string[];
  /** One line for the model, from the reference's endpoint description. */
  about: string;
}

const docs = (name: string, about: string, lib = name): DocsSection => ({
  name,
  roots: [`docs/${lib}`],
  about,
});

const COURSES = [
  'llm-course',
  'robotics-course',
  'mcp-course',
  'smol-course',
  'agents-course',
  'deep-rl-course',
  'computer-vision-course',
  'audio-course',
  'ml-games-course',
  'diffusion-course',
  'ml-for-3d-course',
  'cookbook',
];

const OPTIMUM = [
  'optimum',
  'optimum-habana',
  'optimum-neuron',
  'optimum-intel',
  'optimum-executorch',
  'optimum-tpu',
];

export const DOCS_SECTIONS: readonly DocsSection[] = [
  docs('hub', 'the Hub: models, datasets, Spaces, auth, versioning, metadata, jobs'),
  docs('transformers', 'models, configs, tokenizers, Trainer, generation'),
  docs('diffusers', 'diffusion pipelines, schedulers, training'),
  docs('datasets', 'loading, streaming, processing, Arrow, Hub integration'),
  docs('trl', 'SFT, DPO, GRPO, PPO, reward modelling: trainers and their configs'),
  docs('peft', 'LoRA and other parameter-efficient fine-tuning'),
  docs('accelerate', 'distributed and mixed-precision training'),
  docs('trackio', 'experiment tracking and metrics'),
  docs('smolagents', 'agents and tools'),
  docs('huggingface_hub', 'the Python client for the Hub'),
  docs('huggingface.js', 'the JS/TS clients for the Hub and inference'),
  docs('transformers.js', 'Transformers in the browser and Node'),
  docs('inference-providers', 'serverless inference through partner providers'),
  docs('inference-endpoints', 'dedicated managed deployments'),
  {
    name: 'optimum',
    roots: OPTIMUM.map((lib) => `docs/${lib}`),
    about: 'hardware optimisation and export (Habana, Neuron, Intel, ExecuTorch, TPU)',
  },
  docs('tokenizers', 'fast tokenizers: training and internals'),
  docs('evaluate', 'metrics and evaluation'),
  docs('lighteval', 'LLM evaluation'),
  docs('dataset-viewer', 'the dataset viewer API'),
  docs('safetensors', 'the safetensors format'),
  docs('tgi', 'Text Generation Inference server', 'text-generation-inference'),
  docs('tei', 'Text Embeddings Inference server', 'text-embeddings-inference'),
  docs('bitsandbytes', 'quantisation and 8-bit optimizers'),
  docs('sentence_transformers', 'embedding models and their training'),
  docs('timm', 'image models'),
  docs('setfit', 'few-shot text classification'),
  docs('lerobot', 'robotics datasets and policies'),
  docs('autotrain', 'no-code training'),
  docs('kernels', 'compute kernels from the Hub'),
  docs('chat-ui', 'the chat interface'),
  docs('leaderboards', 'leaderboards and submissions'),
  docs('argilla', 'data annotation'),
  docs('distilabel', 'synthetic data pipelines'),
  docs('sagemaker', 'AWS SageMaker'),
  docs('google-cloud', 'Google Cloud'),
  docs('microsoft-azure', 'Microsoft Azure'),
  docs('simulate', 'simulation environments'),
  {
    name: 'courses',
    roots: COURSES.map((course) => `learn/${course}`),
    about: 'every course (LLM, agents, MCP, smol, deep RL, vision, audio, diffusion, …) and the cookbook',
  },
];

const BY_NAME = new Map(DOCS_SECTIONS.map((section) => [section.name, section]));

/** Names people and models write for a section, beyond its own name and its library's path. */
const ALIASES: Record<string, string> = {
  'text-generation-inference': 'tgi',
  'text-embeddings-inference': 'tei',
  'huggingface-hub': 'huggingface_hub',
  'sentence-transformers': 'sentence_transformers',
  learn: 'courses',
  course: 'courses',
  cookbook: 'courses',
};

export const SECTION_NAMES = DOCS_SECTIONS.map((section) => section.name);

/**
 * The section an `endpoint` argument names: its name in any case, with spaces ("inference
 * providers"), a leading `/` or `docs/`, or a docs URL. Anything else is refused with the list.
 */
export function resolveSection(endpoint: string): DocsSection {
  const key = endpoint
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)/, '')
    .replace(/^\/+|\/+$/g, '')
    .replace(/^(?:docs|learn)\//, '')
    .replace(/\s+/g, '-');
  const found = BY_NAME.get(key) ?? BY_NAME.get(ALIASES[key] ?? '');
  if (found) return found;
  const gradio = key === 'gradio' ? " Gradio's docs are not on the Hub: use web_search for gradio.app." : '';
  throw new ToolInputError(
    `Unknown docs endpoint "${endpoint}".${gradio} Valid endpoints: ${SECTION_NAMES.join(', ')}.`,
  );
}
