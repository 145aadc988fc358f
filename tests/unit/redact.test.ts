import { describe, expect, it } from 'vitest';

import { createRedactor, redactDeep, REDACTED } from '../../src/core/redact.js';

describe('createRedactor', () => {
  it('replaces every occurrence of each known secret', () => {
    const redact = createRedactor(['s3cr3t-value', 'another-secret']);
    expect(redact('a s3cr3t-value b s3cr3t-value c another-secret')).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
  });

  it('ignores secrets shorter than 8 characters, which would mangle ordinary text', () => {
    const redact = createRedactor(['short', 'xoxb-1', '']);
    expect(redact('a short note about xoxb-1')).toBe('a short note about xoxb-1');
  });

  it('matches secrets holding regular-expression characters literally', () => {
    const redact = createRedactor(['a.b*c+d?(e)[f]{g}|h^$\\i/j']);
    expect(redact('x a.b*c+d?(e)[f]{g}|h^$\\i/j y')).toBe(`x ${REDACTED} y`);
    expect(redact('x aXb*c+d?(e)[f]{g}|h^$\\i/j y')).toBe('x aXb*c+d?(e)[f]{g}|h^$\\i/j y');
  });

  it('redacts a secret containing another one whole', () => {
    const redact = createRedactor(['password', 'password-plus-suffix']);
    expect(redact('password-plus-suffix')).toBe(REDACTED);
  });

  it('redacts the URL-encoded and JSON-escaped forms of a secret', () => {
    const redact = createRedactor(['p@ss/word+1', 'quote"back\\slash']);
    expect(redact('redis://:p%40ss%2Fword%2B1@host')).toBe(`redis://:${REDACTED}@host`);
    expect(redact(JSON.stringify({ token: 'quote"back\\slash' }))).toBe(`{"token":"${REDACTED}"}`);
  });

  it.each([
    ['Hugging Face', 'hf_' + 'aB3'.repeat(10)],
    ['Anthropic', 'sk-ant-api03-' + 'x_Y-z'.repeat(8)],
    ['Slack bot', 'xoxb-1234567890-abcdef'],
    ['Slack user', 'xoxp-1234567890-abcdef'],
    ['Slack app', 'xapp-1-A0123-456789-abc'],
    ['GitHub classic', 'ghp_' + 'a1B2'.repeat(9)],
    ['GitHub server', 'ghs_' + 'a1B2'.repeat(9)],
    ['GitHub fine-grained', 'github_pat_11ABCDEFG0' + 'x_1'.repeat(10)],
    ['Slack app-level', 'xoxa-2-1234567890-abcdef'],
    ['OpenAI', 'sk-proj-' + 'Ab1_'.repeat(8)],
    ['Discord bot', 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.' + 'aB1-_'.repeat(7)],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
  ])('redacts an unknown %s token by its shape', (_name, token) => {
    const redact = createRedactor([]);
    expect(redact(`export TOKEN=${token}\n`)).toBe(`export TOKEN=${REDACTED}\n`);
  });

  it('redacts the credential of a bearer or basic header, keeping the label', () => {
    const redact = createRedactor([]);
    expect(redact('Authorization: Bearer abc123.def456-ghi')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redact('curl -H "authorization: basic dXNlcjpwYXNzd29yZA=="')).toBe(
      `curl -H "authorization: basic ${REDACTED}"`,
    );
    expect(redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      `aws_secret_access_key = ${REDACTED}`,
    );
  });

  it('leaves prose about bearer tokens alone', () => {
    const redact = createRedactor([]);
    const text = 'Send a Bearer token in the header; Bearer authentication is standard. Basic usage.';
    expect(redact(text)).toBe(text);
  });

  it('redactDeep redacts every string of a structure, keys left alone', () => {
    const redact = createRedactor(['deep-secret-value']);
    const value = {
      'deep-secret-value': 1,
      list: ['x deep-secret-value', 2],
      nested: { a: 'deep-secret-value' },
    };
    expect(redactDeep(redact, value)).toEqual({
      'deep-secret-value': 1,
      list: [`x ${REDACTED}`, 2],
      nested: { a: REDACTED },
    });
  });

  it('leaves text that only resembles a token prefix alone', () => {
    const redact = createRedactor([]);
    const text = 'from huggingface_hub import hf_hub_download; xoxb-short; ghp_tooShort; sk-ant-';
    expect(redact(text)).toBe(text);
  });

  it('is a pure function that can be reused', () => {
    const redact = createRedactor(['reusable-secret']);
    expect(redact('reusable-secret')).toBe(REDACTED);
    expect(redact('reusable-secret')).toBe(REDACTED);
    expect(redact('')).toBe('');
  });
});
