import { describe, expect, it } from 'vitest';
import { judgeSoak } from './soak.js';

/** Samples every 10 s; `issued` tokens per 10-s chunk (default 1,000). */
const samples = (rss: number[], rows: number[], issued: number[] = Array(rss.length).fill(1000)) =>
  rss.map((rssMiB, i) => ({ t: (i + 1) * 10, rssMiB, accessTokenRows: rows[i]!, issued: issued[i]! }));

describe('judgeSoak', () => {
  it('calls flat memory and a table that holds no more than the window of tokens flat', () => {
    const judged = judgeSoak(samples([90, 120, 121, 119, 122, 120, 121, 123, 122, 121], [300, 900, 2000, 3000, 4000, 4200, 3900, 4100, 4000, 4300]), 20, 50);
    expect(judged.met).toBe(true);
    expect(judged.rssGrowth).toBeCloseTo(0, 2); // 121 MiB in the first and the last fifth after the warm-up
    expect(judged.rowsOverWindow).toBeCloseTo(0.86, 2); // 4,300 rows of the 5,000 tokens issued in the last 50 s
  });

  it('lets the table follow a rising rate', () => {
    const rising = [1000, 1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 2000];
    const judged = judgeSoak(samples(Array(10).fill(100), [1000, 2000, 3000, 4000, 4000, 5000, 6000, 7000, 8000, 8500], rising), 0, 50);
    expect(judged.met).toBe(true);
  });

  it('calls growing memory or a table that keeps more than the window not flat', () => {
    expect(judgeSoak(samples([100, 110, 120, 130, 140, 150, 160, 170, 180, 190], Array(10).fill(100)), 0, 50).met).toBe(false);
    const kept = judgeSoak(samples(Array(10).fill(100), [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]), 0, 50);
    expect(kept.rowsOverWindow).toBeCloseTo(2, 2);
    expect(kept.met).toBe(false);
  });
});
