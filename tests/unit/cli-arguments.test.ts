import { describe, expect, it } from 'vitest';
import { parseCliArguments } from '../../src/cli/arguments.js';

describe('parseCliArguments', () => {
  it('parses run with its options', () => {
    expect(
      parseCliArguments([
        'run',
        'train',
        'a model',
        '--yes',
        '--no-stream',
        '--max-iterations',
        '5',
        '--model',
        'anthropic/claude-opus-5',
      ]),
    ).toEqual({
      command: 'run',
      prompt: 'train a model',
      yes: true,
      stream: false,
      maxIterations: 5,
      model: 'anthropic/claude-opus-5',
    });
  });

  it('shows help for no command or --help', () => {
    expect(parseCliArguments([]).command).toBe('help');
    expect(parseCliArguments(['chat', '--help']).command).toBe('help');
  });

  it('refuses unknown commands, unknown options, bad numbers and an empty prompt', () => {
    expect(() => parseCliArguments(['fly'])).toThrow(/unknown command "fly"/);
    expect(() => parseCliArguments(['chat', '--turbo'])).toThrow(/turbo/);
    expect(() => parseCliArguments(['chat', '--max-iterations', '0'])).toThrow(/positive whole number/);
    expect(() => parseCliArguments(['run'])).toThrow(/needs a prompt/);
  });
});
