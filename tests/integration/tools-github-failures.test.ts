import { describe, expect, it } from 'vitest';
import type { AnyToolSpec } from '../../src/core/tool-spec.js';
import { githubTools } from '../../src/tools/github/index.js';
import { rateLimitExhausted, secondaryRateLimit, type FakeGitHubRepo } from '../fakes/github-routes.js';
import { startLoopback } from '../fakes/loopback-http.js';
import { toolHarness } from '../helpers/tool-harness.js';
import {
  TOKEN,
  world,
  loopback,
  harness,
  setup,
  messageOf,
  paths,
  useGitHubFake,
} from '../helpers/github-tools.js';

useGitHubFake();

describe('github tools: failures', () => {
  const read = { repo: 'huggingface/trl', path: 'README.md' };

  it('401 with a bad token: says to fix GITHUB_TOKEN, never shows it', async () => {
    const { h, tool } = await setup(world(), { token: 'ghp_wrongWrongWrong000000000000000000000' });
    const err = await messageOf(h.run(tool('github_read_file'), read));
    expect(err).toMatch(
      /GitHub refused GITHUB_TOKEN \(401: Bad credentials\)\. Set GITHUB_TOKEN to a valid token/,
    );
    expect(err).not.toContain('ghp_wrong');
  });

  it('403 that is not a rate limit: the token lacks access or needs SSO', async () => {
    const fake = world({
      failures: [
        {
          path: /\/contents\//,
          answer: {
            status: 403,
            body: {
              message: 'Resource not accessible by personal access token',
              documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
              status: '403',
            },
          },
        },
      ],
    });
    const { h, lb, tool } = await setup(fake, { token: TOKEN });
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub refused access to README\.md in huggingface\/trl \(403: Resource not accessible by personal access token\)\. GITHUB_TOKEN may lack access to this repository, or need authorising for the organization \(SSO\)\./,
    );
    expect(lb.requests).toHaveLength(1);
  });

  it('a private repo reads as not found without the token, and opens with it', async () => {
    const secret: FakeGitHubRepo = {
      fullName: 'huggingface/secret',
      private: true,
      files: { 'a.py': 'x = 1\n' },
    };
    const fake = world({ repos: [secret] });
    {
      const { h, tool } = await setup(fake);
      await expect(
        h.run(tool('github_read_file'), { repo: 'huggingface/secret', path: 'a.py' }),
      ).rejects.toThrow(/a private repository also reads as not found without a GITHUB_TOKEN/);
      await harness?.close();
      await loopback?.close();
    }
    const { h, tool } = await setup(fake, { token: TOKEN });
    expect(
      (await h.run(tool('github_read_file'), { repo: 'huggingface/secret', path: 'a.py' })).output,
    ).toContain('1 | x = 1');
  });

  it('403 primary rate limit without a token: when it resets and to set GITHUB_TOKEN, without retrying', async () => {
    const { h, lb, tool } = await setup(world({ remaining: 0 }));
    const err = await messageOf(h.run(tool('github_read_file'), read));
    expect(err).toMatch(
      /GitHub's rate limit for unauthenticated requests is used up \(403\); it resets in about \d+ min \(at \d\d:\d\d UTC\)\..*Setting GITHUB_TOKEN raises the limit/,
    );
    expect(lb.requests).toHaveLength(1);
  });

  it('a secondary limit with retry-after: 1 is waited out and retried', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: secondaryRateLimit(1), times: 1 }] });
    const { h, lb, tool } = await setup(fake);
    const result = await h.run(tool('github_read_file'), read);
    expect(result.output).toContain('1 | # TRL');
    const [first, second] = lb.requests;
    expect(lb.requests).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('429 with a long retry-after is reported with the wait, not waited out', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: secondaryRateLimit(60, 429) }] });
    const { h, lb, tool } = await setup(fake);
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub is rate limiting these requests \(429\); it asks to wait 60 s\. Wait before retrying/,
    );
    expect(lb.requests).toHaveLength(1);
  });

  it('403 on code search as a rate limit leaves the path matches and a note', async () => {
    const fake = world({ failures: [{ path: /^\/search\/code$/, answer: rateLimitExhausted() }] });
    const { h, tool } = await setup(fake, { token: TOKEN });
    const result = await h.run(tool('github_find_examples'), { keyword: 'sft', repo: 'trl' });
    expect(paths(result.output)[0]).toBe('examples/scripts/sft.py');
    expect(result.output).toMatch(
      /Note: File contents were not searched: GitHub's rate limit for GITHUB_TOKEN is used up/,
    );
  });

  it('a 502 is retried once and then succeeds', async () => {
    const fake = world({
      failures: [
        { path: /\/contents\//, answer: { status: 502, body: '<html>Bad gateway</html>' }, times: 1 },
      ],
    });
    const { h, lb, tool } = await setup(fake);
    expect((await h.run(tool('github_read_file'), read)).output).toContain('# TRL');
    expect(lb.requests).toHaveLength(2);
  });

  it('a hung GitHub times out with a message that says what to do', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: { hang: true } }] });
    const { h, tool } = await setup(fake, { timeoutMs: 300 });
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub did not answer within 0\.3 s \(README\.md in huggingface\/trl\); try again, or ask for less/,
    );
  });

  it('a malformed answer reads as one clear error', async () => {
    const fake = world({
      failures: [
        {
          path: /\/contents\//,
          answer: {
            status: 200,
            body: '{"type": "file", "content": ',
            headers: { 'content-type': 'application/json' },
          },
        },
      ],
    });
    const { h, tool } = await setup(fake);
    await expect(h.run(tool('github_read_file'), read)).rejects.toThrow(
      /GitHub sent an answer this tool cannot read for README\.md in huggingface\/trl \(\d+ characters of text\); try again later/,
    );
  });

  it('GitHub unreachable: says so with the reason', async () => {
    const closed = await startLoopback([]);
    await closed.close();
    const unreachable = toolHarness({ github: { url: closed.url } });
    try {
      const [, , readFile] = githubTools(unreachable.services, { timeoutMs: 2_000 });
      await expect(unreachable.run(readFile as AnyToolSpec, read)).rejects.toThrow(
        /Could not reach GitHub \(ECONNREFUSED\) for README\.md in huggingface\/trl; try again later/,
      );
    } finally {
      await unreachable.close();
    }
  });

  it('an interrupted turn stops the call', async () => {
    const fake = world({ failures: [{ path: /\/contents\//, answer: { hang: true } }] });
    const { h, tool } = await setup(fake);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(h.run(tool('github_read_file'), read, controller.signal)).rejects.toThrow(
      /Stopped: the turn was interrupted/,
    );
  });
});
