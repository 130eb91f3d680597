import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

/** A cache over a hand-moved clock. */
function cacheWithClock(maxEntries: number) {
  const clock = { now: 1_000_000 };
  return { clock, cache: new TtlCache<string>(maxEntries, () => clock.now) };
}

describe('TtlCache', () => {
  it('returns a value until its expiry, and nothing from then on', () => {
    const { clock, cache } = cacheWithClock(10);
    cache.set('k', 'v', clock.now + 5_000);
    clock.now += 4_999;
    expect(cache.get('k')).toBe('v');
    clock.now += 1;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stores nothing whose expiry has passed or is now', () => {
    const { clock, cache } = cacheWithClock(10);
    cache.set('past', 'v', clock.now - 1);
    cache.set('now', 'v', clock.now);
    expect(cache.size).toBe(0);
  });

  it('never holds more than maxEntries, evicting the oldest first', () => {
    const { clock, cache } = cacheWithClock(3);
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, key, clock.now + 60_000);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(['b', 'c', 'd'].map((key) => cache.get(key))).toEqual(['b', 'c', 'd']);
  });

  it('re-setting a key refreshes it instead of evicting another', () => {
    const { clock, cache } = cacheWithClock(2);
    cache.set('a', '1', clock.now + 60_000);
    cache.set('b', '2', clock.now + 60_000);
    cache.set('a', '3', clock.now + 60_000);
    expect(cache.size).toBe(2);
    cache.set('c', '4', clock.now + 60_000);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['3', undefined, '4']);
  });

  it('is disabled by a bound of 0', () => {
    const { clock, cache } = cacheWithClock(0);
    cache.set('a', '1', clock.now + 60_000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('deletes and clears', () => {
    const { clock, cache } = cacheWithClock(5);
    cache.set('a', '1', clock.now + 60_000);
    cache.set('b', '2', clock.now + 60_000);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
