import type { AuthModuleOptions } from '../../src/index.js';
import { ALICE, bootGrantApp, CLIENT_SEEDS, type GrantApp } from '../grants/grant-helpers.js';
import type { Database, Platform } from '../support/matrix.js';
import { InMemoryAccountService, TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, type FakeClock, type TestApp } from '../support/test-app.js';
import { ApiController } from '../token-endpoint/helpers.js';
import type { TestResponse } from '../support/http.js';

/** Two app instances on one database (a shared SQLite file, or one PostgreSQL schema) and one clock, as behind a load balancer. */
export interface TwoInstances {
  a: TestApp;
  b: TestApp;
  clock: FakeClock;
  close(): Promise<void>;
}

export async function bootTwoInstances(platform: Platform, db: Database, options: Partial<AuthModuleOptions>): Promise<TwoInstances> {
  const first: GrantApp = await bootGrantApp(platform, db, options);
  const b = await bootTestApp({
    platform,
    db,
    clock: first.clock,
    database: first.t.database,
    imports: [TestAccountsModule],
    controllers: [ApiController],
    options: { scopes: ['a', 'b', 'c'], clients: CLIENT_SEEDS, ...options },
  }).catch(async (error: unknown) => {
    await first.t.close();
    throw error;
  });
  b.app.get(InMemoryAccountService).add(ALICE);
  return {
    a: first.t,
    b,
    clock: first.clock,
    close: async () => {
      await b.close();
      await first.t.close();
    },
  };
}

/** `count` copies of one request at once, every other one sent to the other instance. */
export function spreadOver(instances: TwoInstances, count: number, send: (t: TestApp) => Promise<TestResponse>): Promise<TestResponse[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => send(index % 2 === 0 ? instances.a : instances.b)));
}

/** Status and error of each response, counted: `{"200": 1, "400 invalid_grant": 99}`. */
export function outcomes(responses: TestResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const res of responses) {
    const key = res.status === 200 ? '200' : `${res.status} ${String(res.body.error)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
