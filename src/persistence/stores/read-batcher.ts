import { setImmediate as nodeSetImmediate } from 'node:timers';

/** Node's own `setImmediate`, taken at load: a test's fake timers installed later do not hold lookups back. */
const afterThisTurn = nodeSetImmediate;

/** Keys read by one statement at most. */
export const MAX_READ_BATCH = 32;

interface Waiting<E> {
  key: string;
  resolve(row: E | null): void;
  reject(error: unknown): void;
}

/**
 * Lookups by a unique key asked for during one turn of the event loop, read together by one statement
 * (`WHERE key IN (...)`) after the I/O of that turn: on PostgreSQL one round trip (one statement to send, one row
 * description to parse) for a whole turn's lookups instead of one each. Each caller gets its own row or null; when
 * the statement fails, each caller of that batch gets the error, as with a read of its own.
 */
export class ReadBatcher<E> {
  private queue: Waiting<E>[] = [];
  private scheduled = false;

  /**
   * @param read reads the rows of the given distinct keys in one statement (in any order, unknown keys left out)
   * @param keyOf the key of a row read
   */
  constructor(
    private readonly read: (keys: string[]) => Promise<E[]>,
    private readonly keyOf: (row: E) => string,
  ) {}

  find(key: string): Promise<E | null> {
    return new Promise<E | null>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        afterThisTurn(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch: Waiting<E>[] = [];
    const keys = new Set<string>();
    // Up to MAX_READ_BATCH distinct keys; the same key asked for twice is read once.
    while (this.queue.length > 0 && (keys.size < MAX_READ_BATCH || keys.has(this.queue[0]!.key))) {
      const waiting = this.queue.shift()!;
      keys.add(waiting.key);
      batch.push(waiting);
    }
    if (this.queue.length > 0) afterThisTurn(() => void this.flush());
    else this.scheduled = false;
    let rows: E[];
    try {
      rows = await this.read([...keys]);
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    const byKey = new Map(rows.map((row) => [this.keyOf(row), row]));
    for (const waiting of batch) waiting.resolve(byKey.get(waiting.key) ?? null);
  }
}
