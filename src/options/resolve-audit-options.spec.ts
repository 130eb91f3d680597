import { describe, expect, it } from 'vitest';
import { AUTH_EVENTS } from '../events/auth-event-map.js';
import { resolveAuthOptions } from './resolve-options.js';
import { configProblems } from '../../test/support/config-problems.js';

const ISSUER = 'https://auth.example.com';

const problems = (raw: Record<string, unknown>) => configProblems(raw, ISSUER);

describe('audit option (the audit table)', () => {
  it('is off by default, keeps rows 90 days and every event; explicit values are kept', () => {
    expect(resolveAuthOptions({ issuer: ISSUER }, {}).audit).toEqual({ store: false, retention: 7_776_000 });
    expect(resolveAuthOptions({ issuer: ISSUER, audit: { store: true } }, {}).audit).toEqual({ store: true, retention: 7_776_000 });
    const explicit = resolveAuthOptions({ issuer: ISSUER, audit: { store: true, retention: 0, events: [AUTH_EVENTS.tokenIssued, AUTH_EVENTS.loginFailed] } }, {}).audit;
    expect(explicit).toEqual({ store: true, retention: 0, events: new Set(['authnest.token.issued', 'authnest.login.failed']) });
  });

  it.each([
    ['an unknown event name', { audit: { events: ['authnest.token.issue'] } }, 'audit.events'],
    ['a repeated event name', { audit: { events: [AUTH_EVENTS.tokenIssued, AUTH_EVENTS.tokenIssued] } }, 'audit.events'],
    ['a negative retention', { audit: { retention: -1 } }, 'audit.retention'],
    ['a fractional retention', { audit: { retention: 1.5 } }, 'audit.retention'],
    ['a retention above ten years', { audit: { retention: 315_360_001 } }, 'audit.retention'],
    ['store as a string', { audit: { store: 'yes' } }, 'audit.store'],
    ['a typo', { audit: { stored: true } }, 'audit.stored'],
  ])('stops the boot on %s', (_, raw, path) => {
    const found = problems(raw);
    expect(found.length, found.join('\n')).toBeGreaterThan(0);
    found.forEach((problem) => expect(problem.startsWith(`${path}: `), problem).toBe(true));
  });
});
