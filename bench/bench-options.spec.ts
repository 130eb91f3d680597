import { describe, expect, it } from 'vitest';
import { benchOptions } from './bench-options.js';

describe('npm run bench options', () => {
  it('runs everything by default, and --quick is a short smoke run that writes nothing', () => {
    expect(benchOptions([])).toMatchObject({ platforms: ['express', 'fastify'], databases: ['sqlite', 'postgres'], scenarios: [], rounds: 5, roundSeconds: 4, saturationConnections: 50, soakSeconds: 300, write: true });
    expect(benchOptions(['--quick'])).toMatchObject({ rounds: 1, roundSeconds: 3, warmupSeconds: 1, saturationConnections: 0, soakSeconds: 60, write: false });
  });

  it('takes lists and numbers, and refuses unknown names and bad numbers', () => {
    expect(benchOptions(['--platforms', 'fastify', '--scenarios', 'token-opaque,code-flow', '--soak', '0'])).toMatchObject({ platforms: ['fastify'], scenarios: ['token-opaque', 'code-flow'], soakSeconds: 0 });
    expect(() => benchOptions(['--scenarios', 'tokens'])).toThrow(/unknown tokens/);
    expect(() => benchOptions(['--databases', 'mysql'])).toThrow(/unknown mysql/);
    expect(() => benchOptions(['--rounds', '0'])).toThrow(/positive integer/);
    expect(benchOptions(['--help'])).toBe('help');
  });
});
