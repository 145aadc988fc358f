import { describe, expect, it } from 'vitest';
import { TOKEN, newWorld, setup, viewerCalls, failure, useDatasetsServer } from '../helpers/datasets-tool.js';

useDatasetsServer();

describe('hf_inspect_dataset', () => {
  it('inspects a dataset: status, configs and splits with rows, schema, format, samples, parquet, in parallel', async () => {
    const world = newWorld();
    world.delayMs = 300;
    const { tool, h, server } = await setup(world);
    const result = await h.run(tool, { dataset: 'acme/assistant-mix' });
    const out = result.output;

    expect(result.isError).toBeFalsy();
    expect(out).toMatch(/^# acme\/assistant-mix\nhttps:\/\/huggingface\.co\/datasets\/acme\/assistant-mix\n/);
    expect(out).toContain('## Status\n✓ Valid (viewer, preview, search, filter, statistics)');
    expect(out).toContain('## Structure (2 configs)');
    expect(out).toContain('| sft | train | 1,200 |');
    expect(out).toContain('| sft | test | 120 |');
    expect(out).toContain('| dpo | train_prefs | 500 |');
    // The first config, and `train` although `test` comes first.
    expect(out).toContain('## Schema (sft)');
    expect(out).toContain('| messages | list<{content: string, role: string}> |');
    expect(out).toContain('| source | string |');
    expect(out).toMatch(/## Training format\n- Conversational \(`messages`/);
    expect(out).toContain('## Sample Rows (sft/train)');
    expect(out.match(/\*\*Row \d+:\*\*/g)).toHaveLength(3);
    expect(out).toContain('**Roles:** assistant, system, user');
    expect(out).toContain('**Message keys:** role ✓, content ✓, tool_calls ✗');
    expect(out).toContain('"role": "assistant"');
    expect(out).toContain('- sft/train: 2 file(s) (5.0 MB)');
    expect(out).toContain('`load_dataset("acme/assistant-mix", "sft", split="train")`');
    expect(out).not.toContain('**Warnings:**');
    // Long cells are cut at 150 characters.
    const messagesLine = out.split('\n').find((line) => line.startsWith('- messages: '))!;
    expect(messagesLine.length).toBeLessThanOrEqual('- messages: '.length + 150 + 3);
    expect(messagesLine.endsWith('...')).toBe(true);

    // Phase 1: four dataset-wide requests in flight together (each answer takes 300 ms).
    const phase1 = ['/is-valid', '/splits', '/parquet', '/size'].map((p) => viewerCalls(server, p));
    phase1.forEach((calls) => expect(calls).toHaveLength(1));
    const starts1 = phase1.map((calls) => calls[0]!.receivedAt);
    expect(Math.max(...starts1) - Math.min(...starts1)).toBeLessThan(150);
    // Phase 2: /info and /first-rows together, once the config and split are known.
    const [info] = viewerCalls(server, '/info');
    const [rows] = viewerCalls(server, '/first-rows');
    expect(Object.fromEntries(info!.query)).toEqual({ dataset: 'acme/assistant-mix', config: 'sft' });
    expect(Object.fromEntries(rows!.query)).toEqual({
      dataset: 'acme/assistant-mix',
      config: 'sft',
      split: 'train',
    });
    expect(Math.abs(info!.receivedAt - rows!.receivedAt)).toBeLessThan(150);
    expect(info!.receivedAt - Math.min(...starts1)).toBeGreaterThanOrEqual(250);
    expect(viewerCalls(server)).toHaveLength(6);
    // Every viewer call carries the Hub token.
    viewerCalls(server).forEach((r) => expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`));
    // No access problem: the Hub's auth-check was never needed.
    expect(server.requests.filter((r) => r.path.startsWith('/api/'))).toHaveLength(0);
  });

  it('sends all six requests at once when the config and split are given, and reads a preference format', async () => {
    const world = newWorld();
    world.delayMs = 300;
    const { tool, h, server } = await setup(world);
    const out = (
      await h.run(tool, { dataset: 'acme/assistant-mix', config: 'dpo', split: 'test_prefs', sample_rows: 1 })
    ).output;

    const starts = viewerCalls(server).map((r) => r.receivedAt);
    expect(starts).toHaveLength(6);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(150);
    expect(out).toContain('## Schema (dpo)');
    expect(out).toContain('Preference, standard (`prompt`, `chosen`, `rejected`): ready for DPO');
    expect(out).toContain('## Sample Rows (dpo/test_prefs)');
    expect(out.match(/\*\*Row \d+:\*\*/g)).toHaveLength(1);
    expect(out).not.toContain('Messages Column Format');
  });

  it('shows ClassLabel names, media cells as placeholders, at most 10 sample rows, and the first split when there is no train', async () => {
    const { tool, h } = await setup();
    const out = (await h.run(tool, { dataset: 'acme/pets', sample_rows: 50 })).output;
    expect(out.match(/\*\*Row \d+:\*\*/g)).toHaveLength(10);
    expect(out).toContain('| label | ClassLabel (abyssinian=0, beagle=1, bengal=2');
    expect(out).toContain('… 12 classes) |');
    expect(out).toContain('| image | Image |');
    expect(out).toContain('- image: [image 640×480]');
    expect(out).not.toContain('Signature=');
    expect(out).toContain('`load_dataset("acme/pets", split="train")`');

    const review = (await h.run(tool, { dataset: 'acme/reviews', split: 'test' })).output;
    expect(review).toContain('| label | ClassLabel (neg=0, pos=1) |');
    expect(review).toContain('Language modeling (`text`)');
    expect(review).toContain('## Sample Rows (plain_text/test)');
  });

  it('keeps multi-line cells on one line', async () => {
    const { tool, h } = await setup();
    const out = (await h.run(tool, { dataset: 'acme/reviews' })).output;
    expect(out).toContain('- text: Great film.\\nLoved it.');
  });

  it('names the configs or splits there are when the ones asked for do not exist', async () => {
    const { tool, h } = await setup();
    expect(await failure(h, tool, { dataset: 'acme/assistant-mix', config: 'rlhf' })).toBe(
      'Dataset acme/assistant-mix has no config "rlhf"; its configs: sft, dpo.',
    );
    expect(await failure(h, tool, { dataset: 'acme/assistant-mix', config: 'dpo', split: 'train' })).toBe(
      'Config "dpo" of acme/assistant-mix has no split "train"; its splits: train_prefs, test_prefs.',
    );
  });

  it('accepts a Hub URL as the id and refuses what is not an id', async () => {
    const { tool, h, server } = await setup();
    const out = (
      await h.run(tool, { dataset: 'https://huggingface.co/datasets/acme/reviews/viewer/plain_text/train' })
    ).output;
    expect(out).toMatch(/^# acme\/reviews\n/);
    expect(await failure(h, tool, { dataset: 'not a dataset!' })).toMatch(
      /is not a dataset id: give it as owner\/name/,
    );
    expect(viewerCalls(server).every((r) => r.query.get('dataset') === 'acme/reviews')).toBe(true);
  });
});
