import { describe, expect, it } from 'vitest';
import type { SigningKeyEntity } from '../persistence/entities/signing-key.entity.js';
import { activationOf, isPublished, phaseOf, purgeableKeys, signerOf, type KeyTimeline } from './signing-key-lifecycle.js';

const T0 = Date.UTC(2031, 0, 1);
const MIN = 60_000;
const timeline: KeyTimeline = { propagationDelayMs: 15 * MIN, retentionMs: 65 * MIN };

type Row = Pick<SigningKeyEntity, 'kid' | 'alg' | 'status' | 'createdAt' | 'activateAt' | 'retireAfter' | 'revokedAt'>;

function key(kid: string, createdAt: number, changes: Partial<Row> = {}): Row {
  return { kid, alg: 'ES256', status: 'active', createdAt, activateAt: null, retireAfter: null, revokedAt: null, ...changes };
}

const states = (keys: Row[], now: number) => keys.map((k) => phaseOf(k, keys, now, timeline).state);

describe('signing key lifecycle', () => {
  const first = key('a', T0, { activateAt: T0 });
  const rotated = key('b', T0 + 10 * MIN);

  it('activates a rotated key propagationDelay after its creation, an explicit one at its time', () => {
    expect(activationOf(rotated, timeline)).toBe(T0 + 25 * MIN);
    expect(activationOf(first, timeline)).toBe(T0);
  });

  it('signs with the old key until the activation instant, then with the new one', () => {
    const keys = [first, rotated];
    expect(signerOf(keys, 'ES256', T0 + 25 * MIN - 1, timeline)?.kid).toBe('a');
    expect(signerOf(keys, 'ES256', T0 + 25 * MIN, timeline)?.kid).toBe('b');
    expect(signerOf(keys, 'RS256', T0 + 25 * MIN, timeline)).toBeUndefined();
  });

  it('publishes the new key at once and the old one until activation + retention', () => {
    const keys = [first, rotated];
    expect(states(keys, T0 + 11 * MIN)).toEqual(['active', 'pending']);
    expect(states(keys, T0 + 25 * MIN)).toEqual(['retiring', 'active']);
    expect(phaseOf(first, keys, T0 + 25 * MIN, timeline).publishedUntil).toBe(T0 + 90 * MIN);
    expect(isPublished(first, keys, T0 + 90 * MIN - 1, timeline)).toBe(true);
    expect(isPublished(first, keys, T0 + 90 * MIN, timeline)).toBe(false);
    expect(purgeableKeys(keys, T0 + 90 * MIN - 1, timeline)).toEqual([]);
    expect(purgeableKeys(keys, T0 + 90 * MIN, timeline)).toEqual([first]);
  });

  it('breaks activation ties the same way everywhere (creation, then kid)', () => {
    const twin = key('c', T0 + 10 * MIN);
    expect(signerOf([first, twin, rotated], 'ES256', T0 + 30 * MIN, timeline)?.kid).toBe('c');
    expect(signerOf([rotated, twin, first], 'ES256', T0 + 30 * MIN, timeline)?.kid).toBe('c');
  });

  it('a key revoked before it activated is simply cancelled: the current key signs on and stays published', () => {
    const cancelled = { ...rotated, status: 'revoked' as const, revokedAt: T0 + 12 * MIN };
    const keys = [first, cancelled];
    expect(signerOf(keys, 'ES256', T0 + 30 * MIN, timeline)?.kid).toBe('a');
    expect(states(keys, T0 + 30 * MIN)).toEqual(['active', 'revoked']);
    expect(isPublished(cancelled, keys, T0 + 11 * MIN, timeline)).toBe(false);
  });

  it('when the signing key is revoked nothing signs (a replacement is due), and an older key never signs again', () => {
    const revoked = { ...rotated, status: 'revoked' as const, revokedAt: T0 + 40 * MIN };
    const keys = [first, revoked];
    expect(signerOf(keys, 'ES256', T0 + 41 * MIN, timeline)).toBeUndefined();
    const replacement = key('r', T0 + 41 * MIN, { activateAt: T0 + 41 * MIN });
    expect(signerOf([...keys, replacement], 'ES256', T0 + 41 * MIN, timeline)?.kid).toBe('r');
    expect(states([...keys, replacement], T0 + 41 * MIN)).toEqual(['retiring', 'revoked', 'active']);
  });

  it('purges a revoked key only after retention and once a later key signs', () => {
    const revoked = { ...rotated, status: 'revoked' as const, revokedAt: T0 + 40 * MIN };
    const replacement = key('r', T0 + 41 * MIN, { activateAt: T0 + 41 * MIN });
    expect(purgeableKeys([revoked], T0 + 200 * MIN, timeline)).toEqual([]);
    expect(purgeableKeys([revoked, replacement], T0 + 104 * MIN, timeline)).toEqual([]);
    expect(purgeableKeys([revoked, replacement], T0 + 105 * MIN, timeline)).toEqual([revoked]);
  });

  it('keeps keys of other algorithms published (they have no successor of their own)', () => {
    const rsa = key('rsa', T0, { alg: 'RS256', activateAt: T0 });
    const keys = [rsa, first, rotated];
    expect(states(keys, T0 + 500 * MIN)).toEqual(['active', 'retired', 'active']);
    expect(signerOf(keys, 'RS256', T0 + 500 * MIN, timeline)?.kid).toBe('rsa');
  });

  it('publishes a legacy retired key until its retire_after', () => {
    const legacy = key('old', T0 - MIN, { status: 'retired', activateAt: T0 - MIN, retireAfter: T0 + MIN });
    expect(isPublished(legacy, [legacy, first], T0, timeline)).toBe(true);
    expect(isPublished(legacy, [legacy, first], T0 + MIN, timeline)).toBe(false);
    expect(signerOf([legacy], 'ES256', T0, timeline)).toBeUndefined();
  });
});
