import { setImmediate as nodeSetImmediate } from 'node:timers';
import { isStorageUnavailable } from '../../errors/storage-unavailable.js';

/** Node's own `setImmediate`, taken at load: a test's fake timers installed later do not hold token issuance back. */
const afterThisTurn = nodeSetImmediate;

/** Rows inserted by one statement at most (16 columns each stays far below SQLite's and PostgreSQL's parameter limits). */
export const MAX_BATCH = 32;

interface Pending<E> {
  row: E;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the rows asked for during one turn of the event loop are inserted together by one multi-row
 * statement (one transaction, one round trip), after the I/O of that turn. Each caller's promise settles only once
 * its row is committed, as with an insert of its own. When the shared statement fails (a duplicate key, say), each
 * row is inserted again on its own, so every caller gets its own outcome and no row fails for another's sake; when it
 * fails because the storage is down or locked (`isStorageUnavailable`), every caller gets that failure at once.
 */
export class InsertBatcher<E> {
  private queue: Pending<E>[] = [];
  private scheduled = false;

  /** @param write inserts the rows given in one statement (all or none). */
  constructor(private readonly write: (rows: E[]) => Promise<void>) {}

  insert(row: E): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        afterThisTurn(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) afterThisTurn(() => void this.flush());
    else this.scheduled = false;
    if (batch.length === 1) return this.insertAlone(batch[0]!);
    try {
      await this.write(batch.map((pending) => pending.row));
    } catch (error) {
      // The storage down or locked fails every row alike: row by row would wait for the same lock (SQLite's busy
      // wait holds the whole process) or connection once per row before failing each.
      if (isStorageUnavailable(error)) for (const pending of batch) pending.reject(error);
      else await Promise.all(batch.map((pending) => this.insertAlone(pending)));
      return;
    }
    for (const pending of batch) pending.resolve();
  }

  private async insertAlone(pending: Pending<E>): Promise<void> {
    try {
      await this.write([pending.row]);
      pending.resolve();
    } catch (error) {
      pending.reject(error);
    }
  }
}
