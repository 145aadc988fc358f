import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/free-port.js';
import { findProjectRoot } from '../../src/config/project-root.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github.js';
import { startFakeHub, type FakeHub } from '../fakes/fake-hub.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { runCli } from '../helpers/cli-process.js';
import { chatRequests, userTexts } from '../helpers/openai-requests.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';

const ANTHROPIC_KEY = 'sk-ant-doctor-good-key-0000000000000000';
const WRONG = {
  ANTHROPIC_API_KEY: 'sk-ant-doctor-WRONG-key-000000000000000',
  SLACK_BOT_TOKEN: 'xoxb-doctor-WRONG-bot-token-000000',
  DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAx.GwRoNg.doctor-WRONG-discord-token-000000',
  HF_TOKEN: 'hf_doctorWRONGtoken0000000000000000000',
  GITHUB_TOKEN: 'ghp_doctorWRONGtoken000000000000000000000',
};

let anthropic: FakeAnthropic;
let slack: FakeSlack;
let discord: FakeDiscord;
let hub: FakeHub;
let github: FakeGitHub;
/** The Hugging Face router at HF_ROUTER_URL: takes only the hub's token, serves the default open model. */
let router: FakeOpenAi;
/** An Ollama at OPENAI_BASE_URL whose model has no tool calls. */
let ollama: FakeOpenAi;
/** Keeps its data (append-only) and never evicts: what the bot needs. */
let goodRedis: PrivateRedis;
/** Keeps nothing and evicts under memory pressure: two ✗ lines. */
let lruRedis: PrivateRedis;

beforeAll(async () => {
  [anthropic, slack, discord, hub, github, goodRedis, lruRedis] = await Promise.all([
    startFakeAnthropic({ apiKey: ANTHROPIC_KEY }),
    startFakeSlack(),
    startFakeDiscord(),
    startFakeHub(),
    startFakeGitHub(),
    startPrivateRedis(['--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction']),
    startPrivateRedis(['--maxmemory-policy', 'allkeys-lru', '--save', '', '--appendonly', 'no']),
  ]);
  [router, ollama] = await Promise.all([
    startFakeOpenAi({
      apiKey: hub.token,
      models: [
        {
          id: 'moonshotai/Kimi-K2.6',
          providers: [{ provider: 'groq', context_length: 262_144, supports_tools: true }],
        },
      ],
    }),
    startFakeOpenAi({ flavor: 'ollama', models: [{ id: 'llama3.1' }], toolsUnsupported: 'ollama' }),
  ]);
});
afterAll(async () => {
  await Promise.all([
    anthropic.close(),
    slack.close(),
    discord.close(),
    hub.close(),
    github.close(),
    router.close(),
    ollama.close(),
    goodRedis.destroy(),
    lruRedis.destroy(),
  ]);
});

/** Every credential configured, each pointed at its loopback fake, with the tokens the fakes accept. */
function goodEnv(): Record<string, string> {
  return {
    REDIS_URL: goodRedis.url,
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: anthropic.url,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    HF_TOKEN: hub.token,
    HF_ENDPOINT: hub.url,
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
  };
}

/** The report line of a check, by its name (`Slack`, `Redis eviction`, …). */
function line(stdout: string, name: string): string {
  const found = stdout.split('\n').find((l) => l.slice(2).startsWith(`${name}: `));
  if (found === undefined) throw new Error(`no "${name}" line in:\n${stdout}`);
  return found;
}

/** The pids and command lines of the redis-servers running now. */
function redisServers(): Map<string, string> {
  const servers = new Map<string, string>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes('redis-server')) servers.set(pid, cmdline);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return servers;
}

describe('doctor', () => {
  it('checks every credential against its service: all good → every line ✓, exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['doctor'], goodEnv());
    expect(stderr).toBe('');
    for (const name of [
      'config',
      'model',
      'Redis',
      'Redis persistence',
      'Redis eviction',
      'Anthropic',
      'model answers',
      'Slack',
      'Slack Socket Mode',
      'Discord',
      'Hugging Face',
      'GitHub',
    ]) {
      expect(line(stdout, name)).toMatch(/^✓ /);
    }
    expect(stdout).not.toContain('✗');
    expect(code).toBe(0);
    // Each ✓ is the service's own answer, not the presence of a variable.
    expect(anthropic.requests.some((r) => r.method === 'GET' && r.path === '/v1/models')).toBe(true);
    // The configured model itself answered one tiny call, with a tool offered.
    const tiny = anthropic.requests.find(
      (r) => r.method === 'POST' && r.path === '/v1/messages' && JSON.stringify(r.body).includes('OK?'),
    );
    expect(tiny?.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 16,
      messages: [{ role: 'user' }],
      tools: [{ name: 'ping' }],
    });
    expect(line(stdout, 'model answers')).toMatch(
      /^✓ model answers: anthropic\/claude-sonnet-5-5 answered in \d+ ms \(\d+ in \/ \d+ out tokens\)$/,
    );
    expect(slack.callsOf('auth.test').some((c) => c.token === slack.botToken)).toBe(true);
    expect(slack.callsOf('apps.connections.open').some((c) => c.token === slack.appToken)).toBe(true);
    expect(discord.callsTo('GET /users/@me').length).toBeGreaterThan(0);
    expect(hub.requests.some((r) => r.path === '/api/whoami-v2' && r.token === hub.token)).toBe(true);
    expect(github.requests.some((r) => r.path === '/user' && r.token === github.token)).toBe(true);
    expect(line(stdout, 'Hugging Face')).toContain(hub.userName);
    expect(line(stdout, 'GitHub')).toContain(github.login);
  });

  it('a wrong token → that line ✗ saying the token is wrong and how to fix it, exit 1, no secret printed', async () => {
    const { code, stdout, stderr } = await runCli(['doctor'], { ...goodEnv(), ...WRONG });
    expect(code).toBe(1);
    for (const [name, variable] of [
      ['Anthropic', 'ANTHROPIC_API_KEY'],
      ['Slack', 'SLACK_BOT_TOKEN'],
      ['Discord', 'DISCORD_TOKEN'],
      ['Hugging Face', 'HF_TOKEN'],
      ['GitHub', 'GITHUB_TOKEN'],
    ] as const) {
      const report = line(stdout, name);
      expect(report).toMatch(new RegExp(`^✗ ${name}: ${variable} rejected`));
      expect(report).toContain('Fix: the token is wrong, expired or revoked');
    }
    // The checks that had nothing wrong still pass.
    expect(line(stdout, 'Redis')).toMatch(/^✓ /);
    expect(line(stdout, 'Slack Socket Mode')).toMatch(/^✓ /);
    for (const secret of Object.values(WRONG)) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('only one wrong token → only its line fails, exit 1', async () => {
    const { code, stdout } = await runCli(['doctor'], { ...goodEnv(), GITHUB_TOKEN: WRONG.GITHUB_TOKEN });
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((l) => l.startsWith('✗'))).toEqual([line(stdout, 'GitHub')]);
  });

  it('a Redis that does not answer → ✗ Redis with the fix, exit 1; no private Redis is started', async () => {
    const dataDir = join(findProjectRoot(), '.data', 'redis');
    const before = existsSync(dataDir) ? statSync(dataDir).mtimeMs : undefined;
    const serversBefore = redisServers();
    const deadPort = await freePort();
    const { code, stdout } = await runCli(['doctor'], {
      ...goodEnv(),
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      GITHUB_API_URL: `http://127.0.0.1:${deadPort}`,
    });
    expect(code).toBe(1);
    expect(line(stdout, 'Redis')).toMatch(
      new RegExp(
        `^✗ Redis: does not answer at redis://127\\.0\\.0\\.1:${deadPort} \\(REDIS_URL\\): .*ECONNREFUSED`,
      ),
    );
    expect(line(stdout, 'Redis')).toContain('Fix: start that Redis or correct REDIS_URL');
    // A URL nothing listens on is "unreachable", not a token problem.
    expect(line(stdout, 'GitHub')).toMatch(/^✗ GitHub: connection refused at .*Fix: the URL is unreachable/);
    // Neither a new redis-server for this project nor its data directory.
    const started = [...redisServers()].filter(([pid]) => !serversBefore.has(pid));
    expect(started.filter(([, cmd]) => cmd.includes(dataDir))).toEqual([]);
    expect(existsSync(dataDir) ? statSync(dataDir).mtimeMs : undefined).toBe(before);
  });

  it('a Redis that keeps nothing and evicts keys → ✗ persistence and ✗ eviction lines, exit 1', async () => {
    const { code, stdout } = await runCli(['doctor'], { ...goodEnv(), REDIS_URL: lruRedis.url });
    expect(code).toBe(1);
    expect(line(stdout, 'Redis')).toMatch(/^✓ Redis: answers/);
    expect(line(stdout, 'Redis persistence')).toMatch(
      /^✗ .*lost when Redis restarts.*Fix: .*--appendonly yes/,
    );
    expect(line(stdout, 'Redis eviction')).toMatch(
      /^✗ .*maxmemory-policy is allkeys-lru.*BullMQ needs noeviction.*Fix: .*--maxmemory-policy noeviction/,
    );
  });

  it('the configured model without its key (and no HF_TOKEN for the open model) → ✗ model line, exit 1', async () => {
    const env: Partial<Record<string, string>> = goodEnv();
    delete env.ANTHROPIC_API_KEY;
    delete env.HF_TOKEN;
    const { code, stdout } = await runCli(['doctor'], env as Record<string, string>);
    expect(code).toBe(1);
    expect(line(stdout, 'model')).toMatch(
      /^✗ model: anthropic\/.* needs ANTHROPIC_API_KEY, which is not set.*Fix: .*HF_TOKEN.*open model/,
    );
    expect(line(stdout, 'config')).toMatch(/^✓ config: valid/);
    // One cause, one failure: the model is not called without its key.
    expect(line(stdout, 'model answers')).toMatch(/^- model answers: not checked/);
    expect(stdout.split('\n').filter((l) => l.startsWith('✗'))).toEqual([line(stdout, 'model')]);
  });

  it('only HF_TOKEN → the open model replaces the anthropic one and answers through the router', async () => {
    const env: Partial<Record<string, string>> = { ...goodEnv(), HF_ROUTER_URL: router.url };
    delete env.ANTHROPIC_API_KEY;
    const before = chatRequests(router).length;
    const { code, stdout } = await runCli(['doctor'], env as Record<string, string>);
    expect(line(stdout, 'model')).toMatch(
      /^✓ model: hf\/moonshotai\/Kimi-K2\.6 instead of anthropic\/claude-sonnet-5-5: ANTHROPIC_API_KEY is not set and HF_TOKEN is$/,
    );
    expect(line(stdout, 'model answers')).toMatch(
      /^✓ model answers: hf\/moonshotai\/Kimi-K2\.6 answered in \d+ ms \(\d+ in \/ \d+ out tokens\)$/,
    );
    expect(line(stdout, 'Anthropic')).toMatch(/^- Anthropic: ANTHROPIC_API_KEY not set/);
    expect(code).toBe(0);
    const chats = router.requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
    expect(chats.at(-1)?.headers.authorization).toBe(`Bearer ${hub.token}`);
    const sent = chatRequests(router).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ model: 'moonshotai/Kimi-K2.6', max_tokens: 16 });
    expect(userTexts(sent[0])).toEqual(['OK?']);
    expect(sent[0]?.tools?.map((t) => t.function.name)).toEqual(['ping']);
  });

  it('hf model with a wrong token → ✗ model answers naming HF_TOKEN, the token never printed', async () => {
    const env: Partial<Record<string, string>> = {
      ...goodEnv(),
      HF_ROUTER_URL: router.url,
      HF_TOKEN: WRONG.HF_TOKEN,
    };
    delete env.ANTHROPIC_API_KEY;
    const { code, stdout, stderr } = await runCli(['doctor'], env as Record<string, string>);
    expect(code).toBe(1);
    expect(line(stdout, 'model answers')).toMatch(
      /^✗ model answers: .*rejected the credentials \(401\); check HF_TOKEN\. Fix: HF_TOKEN is wrong/,
    );
    expect(`${stdout}${stderr}`).not.toContain(WRONG.HF_TOKEN);
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
  });

  it('openai/ model on a server without tool calls → ✗ model answers saying so, exit 1', async () => {
    const { code, stdout } = await runCli(['doctor', '--model', 'openai/llama3.1'], {
      ...goodEnv(),
      OPENAI_BASE_URL: ollama.url,
    });
    expect(code).toBe(1);
    expect(line(stdout, 'model')).toBe(`✓ model: openai/llama3.1 has OPENAI_BASE_URL`);
    expect(line(stdout, 'model answers')).toMatch(
      /^✗ model answers: the model "llama3\.1" at .* does not support tool calls.*Fix: choose a model with tool calls/,
    );
    expect(chatRequests(ollama).at(-1)).toMatchObject({ model: 'llama3.1', tools: [{ type: 'function' }] });
  });

  it('register-commands registers /intern with no Redis at all (it never connects to one)', async () => {
    const deadPort = await freePort();
    const { code, stdout, stderr } = await runCli(['register-commands', 'discord'], {
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Registered /intern');
    expect(discord.commands.some((c) => c.name === 'intern')).toBe(true);
  });
});
