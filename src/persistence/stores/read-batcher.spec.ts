import { describe, expect, it } from 'vitest';
import { MAX_READ_BATCH, ReadBatcher } from './read-batcher.js';

interface Row {
  id: string;
  value: number;
}

/** A table of rows by id, recording the keys of each statement. */
function table(rows: Row[], fail?: (keys: string[]) => boolean) {
  const statements: string[][] = [];
  const read = async (keys: string[]): Promise<Row[]> => {
    statements.push([...keys]);
    if (fail?.(keys)) throw new Error('connection lost');
    return rows.filter((row) => keys.includes(row.id)).reverse();
  };
  return { statements, batcher: new ReadBatcher(read, (row) => row.id) };
}

const rows = Array.from({ length: 100 }, (_, index) => ({ id: `k${index}`, value: index }));

describe('ReadBatcher', () => {
  it('reads the keys asked for in one turn with one statement, each caller getting its own row or null', async () => {
    const { statements, batcher } = table(rows);
    const found = await Promise.all(['k1', 'k2', 'nope', 'k3'].map((key) => batcher.find(key)));
    expect(found.map((row) => row?.value ?? null)).toEqual([1, 2, null, 3]);
    expect(statements).toEqual([['k1', 'k2', 'nope', 'k3']]);
    expect((await batcher.find('k4'))?.value).toBe(4);
    expect(statements).toHaveLength(2);
  });

  it('reads a key asked for twice in one turn once', async () => {
    const { statements, batcher } = table(rows);
    const found = await Promise.all(['k5', 'k5', 'k6'].map((key) => batcher.find(key)));
    expect(found.map((row) => row?.value)).toEqual([5, 5, 6]);
    expect(statements).toEqual([['k5', 'k6']]);
  });

  it('splits a large turn into statements of at most MAX_READ_BATCH keys', async () => {
    const { statements, batcher } = table(rows);
    const keys = rows.slice(0, MAX_READ_BATCH * 2 + 1).map((row) => row.id);
    const found = await Promise.all(keys.map((key) => batcher.find(key)));
    expect(found.map((row) => row?.id)).toEqual(keys);
    expect(statements.map((statement) => statement.length)).toEqual([MAX_READ_BATCH, MAX_READ_BATCH, 1]);
  });

  it('gives every caller of a failed statement the error, and reads on afterwards', async () => {
    let down = true;
    const { batcher } = table(rows, () => down);
    const outcomes = await Promise.allSettled(['k1', 'k2'].map((key) => batcher.find(key)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('connection lost'));
    down = false;
    expect((await batcher.find('k1'))?.value).toBe(1);
  });
});
