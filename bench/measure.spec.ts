import { describe, expect, it } from 'vitest';
import { medianRound, pairedRatio } from './measure.js';
import type { Measurement } from './results.js';

const m = (rate: number): Measurement => ({ ok: rate, failed: 0, durationSeconds: 1, rate, latency: { p50: 1, p99: 2, mean: 1 } });

describe('pairedRatio', () => {
  it('is the median of the round-by-round ratios', () => {
    // Rounds 2 and 3 ran on a slower machine: each pair still says 2x.
    expect(pairedRatio([m(2000), m(1000), m(600)], [m(1000), m(500), m(300)])).toBe(2);
    expect(pairedRatio([m(300), m(200), m(100)], [m(100), m(100), m(100)])).toBe(2);
  });

  it('takes the lower middle ratio of an even count, skips rounds of a baseline that answered nothing', () => {
    expect(pairedRatio([m(100), m(300), m(400), m(100)], [m(100), m(100), m(100), m(100)])).toBe(1);
    expect(pairedRatio([m(100), m(300), m(400), m(100)], [m(100), m(100), m(100), m(0)])).toBe(3);
    expect(pairedRatio([m(100)], [m(0)])).toBeNull();
  });
});

describe('medianRound', () => {
  it('is the round of median rate', () => {
    expect(medianRound([m(3), m(1), m(2)]).rate).toBe(2);
  });
});
