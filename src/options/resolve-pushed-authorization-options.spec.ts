import { describe, expect, it } from 'vitest';
import { resolveAuthOptions } from './resolve-options.js';
import { configProblems } from '../../test/support/config-problems.js';

const ISSUER = 'https://auth.example.com';

const problems = (raw: Record<string, unknown>) => configProblems(raw, ISSUER);

describe('par options (RFC 9126)', () => {
  it('defaults: 60 s, not required; explicit values are kept', () => {
    expect(resolveAuthOptions({ issuer: ISSUER }, {}).par).toEqual({ ttl: 60, required: false });
    expect(resolveAuthOptions({ issuer: ISSUER, par: { ttl: 600, required: true } }, {}).par).toEqual({ ttl: 600, required: true });
  });

  it.each([
    ['a ttl below 10 s', { par: { ttl: 9 } }, 'par.ttl'],
    ['a ttl above 600 s', { par: { ttl: 601 } }, 'par.ttl'],
    ['a fractional ttl', { par: { ttl: 30.5 } }, 'par.ttl'],
    ['a required that is not a boolean', { par: { required: 'yes' } }, 'par.required'],
    ['a typo', { par: { requird: true } }, 'par.requird'],
    ['a client flag that is not a boolean', { clients: [{ clientId: 'c', requirePushedAuthorizationRequests: 1 }] }, 'clients[0].requirePushedAuthorizationRequests'],
  ])('stops the boot on %s, naming the option path', (_name, raw, path) => {
    const found = problems(raw);
    expect(found.some((problem) => problem.startsWith(path)), found.join('\n')).toBe(true);
  });

  it('keeps the client flag', () => {
    const [client] = resolveAuthOptions({ issuer: ISSUER, clients: [{ clientId: 'c', requirePushedAuthorizationRequests: true }] }, {}).clients;
    expect(client?.requirePushedAuthorizationRequests).toBe(true);
  });
});
