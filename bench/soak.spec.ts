import { describe, expect, it } from 'vitest';
import { judgeSoak } from './soak.js';

const samples = (rss: number[], rows: number[]) => rss.map((rssMiB, i) => ({ t: (i + 1) * 10, rssMiB, accessTokenRows: rows[i]! }));

describe('judgeSoak', () => {
  it('calls flat memory and a table that stopped growing flat', () => {
    const judged = judgeSoak(samples([90, 120, 121, 119, 122, 120, 121, 123, 122, 121], [300, 900, 1000, 1050, 1000, 1020, 990, 1010, 1000, 1030]), 20);
    expect(judged.met).toBe(true);
    expect(judged.rssGrowth).toBeCloseTo(0, 2); // 121 MiB in the first and the last fifth after the warm-up
  });

  it('calls growing memory or a growing table not flat', () => {
    expect(judgeSoak(samples([100, 110, 120, 130, 140, 150, 160, 170, 180, 190], Array(10).fill(100)), 0).met).toBe(false);
    expect(judgeSoak(samples(Array(10).fill(100), [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]), 0).met).toBe(false);
  });
});
