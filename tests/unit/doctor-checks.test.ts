import { describe, expect, it } from 'vitest';
import { formatResult, ok, runChecks, type Check } from '../../src/cli/doctor/check.js';
import { explainFailure, type ServiceSpec } from '../../src/cli/doctor/failure-hints.js';

const spec: ServiceSpec = {
  name: 'GitHub',
  tokenVar: 'GITHUB_TOKEN',
  urlVar: 'GITHUB_API_URL',
  url: 'http://127.0.0.1:9999',
  tokenHelp: 'create a token',
};

describe('doctor checks', () => {
  it('a check that never answers is cut off by its deadline and aborted; the others still report', async () => {
    let aborted = false;
    const hung: Check = {
      name: 'Hung',
      target: 'http://hung.example',
      run: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const fine: Check = { name: 'Fine', target: 'x', run: () => Promise.resolve([ok('Fine', 'answers')]) };
    const broken: Check = {
      name: 'Broken',
      target: 'x',
      run: () => Promise.reject(new Error('first line\n    at someStackFrame (file.ts:1:1)')),
    };
    const lines = (await runChecks([hung, fine, broken], 100)).map(formatResult);
    expect(lines[0]).toMatch(/^✗ Hung: no answer from http:\/\/hung\.example within 0\.1 s\. Fix: /);
    expect(lines[1]).toBe('✓ Fine: answers');
    expect(lines[2]).toMatch(/^✗ Broken: check failed: first line\. Fix: /);
    expect(lines.join('\n')).not.toContain('someStackFrame');
    expect(aborted).toBe(true);
  });

  it('explains failures by what they mean: 401 a wrong token, refused an unreachable URL, 5xx the service', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9999'), { code: 'ECONNREFUSED' }),
    });
    expect(formatResult(explainFailure(spec, refused))).toBe(
      '✗ GitHub: connection refused at http://127.0.0.1:9999. Fix: the URL is unreachable from here: check GITHUB_API_URL (or unset it for the default), the network and any proxy',
    );
    expect(formatResult(explainFailure(spec, { status: 401 }))).toBe(
      '✗ GitHub: GITHUB_TOKEN rejected (401). Fix: the token is wrong, expired or revoked: create a token',
    );
    expect(formatResult(explainFailure(spec, { statusCode: 503 }))).toMatch(
      /answered \(503\)\. Fix: the service has a problem/,
    );
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' });
    expect(formatResult(explainFailure(spec, dns))).toMatch(/host of .* not found \(DNS\)/);
  });
});
