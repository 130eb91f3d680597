import { describe, expect, it } from 'vitest';
import { resolveAuthOptions } from './resolve-options.js';
import { configProblems } from '../../test/support/config-problems.js';

const ISSUER = 'https://auth.example.com/tenant';

const problems = (deviceFlow: unknown) => configProblems({ deviceFlow }, ISSUER);

describe('deviceFlow options', () => {
  it('defaults: 10 minutes, 5 s interval, 8 characters, the issuer\'s verification page, 30 per address and 10 per browser in 15 minutes', () => {
    expect(resolveAuthOptions({ issuer: `${ISSUER}/` }, {}).deviceFlow).toEqual({
      codeTtl: 600,
      interval: 5,
      userCodeLength: 8,
      verificationUri: `${ISSUER}/oauth/device`,
      userCodeRateLimit: { perAddress: { max: 30, window: 900 }, perBrowser: { max: 10, window: 900 } },
    });
  });

  it('keeps explicit values', () => {
    const deviceFlow = {
      codeTtl: 1800,
      interval: 10,
      userCodeLength: 12,
      verificationUri: 'https://example.com/tv',
      userCodeRateLimit: { perAddress: { max: 100, window: 60 }, perBrowser: { max: 3, window: 60 } },
    };
    expect(resolveAuthOptions({ issuer: ISSUER, deviceFlow }, {}).deviceFlow).toEqual(deviceFlow);
  });

  it.each([
    [{ codeTtl: 30 }, 'deviceFlow.codeTtl: codeTtl must not be less than 60'],
    [{ codeTtl: 7200 }, 'deviceFlow.codeTtl: codeTtl must not be greater than 3600'],
    [{ interval: 0 }, 'deviceFlow.interval: interval must not be less than 1'],
    [{ interval: 2.5 }, 'deviceFlow.interval: interval must be an integer number'],
    [{ userCodeLength: 6 }, 'deviceFlow.userCodeLength: userCodeLength must not be less than 8'],
    [{ intervall: 5 }, 'deviceFlow.intervall: property intervall should not exist'],
    [{ userCodeRateLimit: { perAddress: { max: 0, window: 60 } } }, 'deviceFlow.userCodeRateLimit.perAddress.max: max must not be less than 1'],
    [{ userCodeRateLimit: { perBrowsr: { max: 1, window: 60 } } }, 'deviceFlow.userCodeRateLimit.perBrowsr: property perBrowsr should not exist'],
    [{ verificationUri: 'http://example.com/tv' }, 'deviceFlow.verificationUri: must be an https URL (http only on a loopback host) without query or fragment'],
    [{ verificationUri: 'https://example.com/tv?x=1' }, 'deviceFlow.verificationUri: must be an https URL (http only on a loopback host) without query or fragment'],
  ])('refuses %j', (deviceFlow, problem) => {
    expect(problems(deviceFlow)).toContain(problem);
  });
});
