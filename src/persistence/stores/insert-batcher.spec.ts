import { describe, expect, it } from 'vitest';
import { InsertBatcher, MAX_BATCH } from './insert-batcher.js';

/** A table of unique numbers whose writes are all-or-none, recording each statement's rows. */
function table() {
  const stored = new Set<number>();
  const statements: number[][] = [];
  const write = async (rows: number[]): Promise<void> => {
    statements.push([...rows]);
    if (rows.some((row) => stored.has(row)) || new Set(rows).size !== rows.length) throw new Error('duplicate key');
    for (const row of rows) stored.add(row);
  };
  return { stored, statements, batcher: new InsertBatcher(write) };
}

describe('InsertBatcher', () => {
  it('inserts the rows asked for in one turn with one statement, and settles each after it', async () => {
    const { stored, statements, batcher } = table();
    await Promise.all([1, 2, 3].map((row) => batcher.insert(row)));
    expect(statements).toEqual([[1, 2, 3]]);
    expect([...stored]).toEqual([1, 2, 3]);
    await batcher.insert(4);
    expect(statements).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a large turn into statements of at most MAX_BATCH rows', async () => {
    const { stored, statements, batcher } = table();
    const rows = Array.from({ length: MAX_BATCH * 2 + 1 }, (_, index) => index);
    await Promise.all(rows.map((row) => batcher.insert(row)));
    expect(statements.map((statement) => statement.length)).toEqual([MAX_BATCH, MAX_BATCH, 1]);
    expect(stored.size).toBe(rows.length);
  });

  it('gives each caller its own outcome when the shared statement fails', async () => {
    const { stored, batcher } = table();
    await batcher.insert(7);
    const outcomes = await Promise.allSettled([8, 7, 9].map((row) => batcher.insert(row)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('duplicate key'));
    expect([...stored].sort()).toEqual([7, 8, 9]);
  });

  it('fails every row of the statement at once, without a retry per row, when the storage is down or locked', async () => {
    const statements: number[][] = [];
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const batcher = new InsertBatcher<number>(async (rows) => {
      statements.push([...rows]);
      throw busy;
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((row) => batcher.insert(row)));
    expect(outcomes).toEqual([1, 2, 3].map(() => ({ status: 'rejected', reason: busy })));
    expect(statements).toEqual([[1, 2, 3]]);
  });
});
