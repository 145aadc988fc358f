import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { PUBLIC_ENDPOINTS } from '../../src/tools/tool-services.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  datasetsServerRoutes,
  fakeFeature,
  type DatasetsServerWorld,
} from '../fakes/datasets-server-routes.js';
import { hfDocsRoutes, sampleDocsWorld } from '../fakes/hf-docs-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { messageRequests, toolResults } from '../helpers/fake-app.js';
import { cleanup, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

// A whole turn through the agent loop, the real Anthropic SDK and the real tools: the model inspects
// a dataset on the dataset viewer and reads a TRL docs page on the Hub, then answers with what it read.
const HF_TOKEN = 'hf_researchTurnToken000000000000000000';
let app: App | undefined;
let anthropic: FakeAnthropic | undefined;
const servers: Loopback[] = [];
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await anthropic?.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const viewer: DatasetsServerWorld = {
  validTokens: [HF_TOKEN],
  datasets: [
    {
      id: 'acme/chat-support',
      configs: [
        {
          name: 'default',
          features: {
            messages: [{ role: fakeFeature.value('string'), content: fakeFeature.value('string') }],
          },
          splits: [
            {
              name: 'train',
              numRows: 12_000,
              rows: [
                {
                  messages: [
                    { role: 'user', content: 'My order is late.' },
                    { role: 'assistant', content: 'Sorry! Let me check.' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('a research turn', () => {
  it('inspects a dataset and reads a docs page before answering, all through the real tools', async () => {
    const hub = await startLoopback(hfDocsRoutes(sampleDocsWorld()));
    const datasets = await startLoopback(datasetsServerRoutes(viewer));
    servers.push(hub, datasets);
    anthropic = await startFakeAnthropic();
    anthropic.enqueue(
      {
        text: 'Checking the data and the SFT docs.',
        toolCalls: [
          { name: 'hf_inspect_dataset', input: { dataset: 'acme/chat-support' } },
          { name: 'fetch_hf_docs', input: { url: 'https://huggingface.co/docs/trl/sft_trainer' } },
        ],
      },
      { text: 'The data is in chat format (`messages`), so SFTTrainer takes it as is.' },
    );
    app = testApp({
      config: testConfig(),
      anthropic: { apiKey: 'test-key', baseURL: anthropic.url },
      services: {
        ...PUBLIC_ENDPOINTS,
        hub: { url: hub.url, token: HF_TOKEN },
        datasetsServer: { url: datasets.url },
      },
    });
    await app.startWorkers();
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    await app.operations.submit(
      sessionId,
      { type: 'user_input', text: 'Can I SFT on acme/chat-support?' },
      'u1',
    );
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete', {
      timeoutMs: 20_000,
    });
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });

    // Both tools really called their services, with the Hub token, and no other host saw it.
    expect(
      datasets.requests.some((r) => r.path === '/splits' && r.query.get('dataset') === 'acme/chat-support'),
    ).toBe(true);
    expect(datasets.requests.every((r) => r.token === HF_TOKEN)).toBe(true);
    expect(
      hub.requests.some((r) => r.path.startsWith('/docs/trl/') && r.path.endsWith('sft_trainer.md')),
    ).toBe(true);

    // The model's second request carries what they found.
    const [inspected, page] = toolResults(messageRequests(anthropic)[1]);
    expect(inspected).toContain('acme/chat-support');
    expect(inspected).toContain('messages');
    expect(inspected).toMatch(/12,000|12000/);
    expect(page).toContain('SFT');
    for (const result of [inspected, page]) expect(result).not.toContain(HF_TOKEN);
    const outputs = events.filter((e) => e.type === 'tool_output');
    expect(outputs.map((e) => (e as { ok: boolean }).ok)).toEqual([true, true]);
    const text = events.flatMap((e) => (e.type === 'assistant_chunk' ? [e.text] : [])).join('');
    expect(text).toContain('SFTTrainer takes it as is');
  });
});
