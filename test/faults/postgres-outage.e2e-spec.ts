import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authnestEntities, authnestMigrations, MIGRATIONS_TABLE, type AuthDatabaseOptions } from '../../src/index.js';
import { ensurePostgresSchema } from '../../src/persistence/data-source.factory.js';
import type { Platform } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { durabilityViolations, readLedger } from './ledger.js';
import { bootFaultApp, expectCleanAnswers, expectWholeGrants, runOutage } from './outage-cycle.js';
import { postgresBinaries, startCluster, type PgCluster, type StopMode } from './pg-cluster.js';

/**
 * The database stopped and started again under a steady load (fault invariants FL1, FL2, FL4, FL5, FL14; RFC 6749
 * sections 4.1.2.1 and 5.2 `temporarily_unavailable`). A PostgreSQL cluster of this file's own is stopped (`fast`:
 * sessions rolled back and disconnected; `immediate`: a crash) while client_credentials, code redemptions, refreshes,
 * introspection, revocation and a guarded route (opaque tokens, never cached) are being asked for; two seconds later
 * it is started again. While it is down every request is answered within the bound by a clean 503 with
 * `Cache-Control: no-store` and `Retry-After`, the guarded route too (not 401, never 200 for an unknown token); once it
 * is back everything succeeds again without restarting the app; and the tables hold no half-written grant. Each
 * platform's app lives through both stops.
 */
describe.skipIf(!postgresBinaries())('PostgreSQL stopped and started under load', () => {
  let cluster: PgCluster;

  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  describe.each(['express', 'fastify'] as const)('on %s', (platform: Platform) => {
    let t: TestApp;

    beforeAll(async () => {
      t = await bootFaultApp(platform, 'postgres', { type: 'postgres', url: cluster.url, schema: `faults_${platform}`, poolSize: 4 });
    });
    afterAll(() => t?.close());

    it.each(['fast', 'immediate'] as const)(
      'answers a clean 503 while stopped (-m %s), recovers without a restart of the app, and keeps every grant whole',
      async (mode: StopMode) => {
        const run = await runOutage(t, { down: () => cluster.stop(mode), up: () => cluster.start(), downMs: 2000 });
        expectCleanAnswers(run);
        await expectWholeGrants(t, t.database, run);
      },
    );
  });

  /**
   * The database host hanging (every PostgreSQL process suspended: connects accepted by the kernel, nothing answered)
   * with what a deployment should configure: `connectionTimeoutMillis` (pool checkout and connect) and `query_timeout`
   * (client side: `statement_timeout` cannot help when the server does not run). Without them node-postgres waits
   * forever. Every request is answered within the bound, a clean 503 while the database hangs, success after. A
   * statement that timed out on the client may still run once the server resumes, so only "a response implies a durable
   * row" is asserted of the tables here.
   */
  describe('hanging (SIGSTOP), with connection and query timeouts configured (express)', () => {
    const schema = 'faults_frozen';
    let host: DataSource;
    let t: TestApp;

    beforeAll(async () => {
      await ensurePostgresSchema(cluster.url, schema);
      const extra = { max: 4, connectionTimeoutMillis: 1000, query_timeout: 1000 };
      host = await new DataSource({
        type: 'postgres', url: cluster.url, schema, entities: [...authnestEntities], migrations: [...authnestMigrations], migrationsTableName: MIGRATIONS_TABLE, extra,
      }).initialize();
      t = await bootFaultApp('express', 'postgres', { dataSource: host, migrations: 'run' });
    });
    afterAll(async () => {
      await t?.close();
      await host?.destroy();
    });

    it('answers a clean 503 within the timeouts while the database hangs, and recovers when it answers again', async () => {
      const run = await runOutage(t, { down: () => cluster.freeze(), up: () => cluster.thaw(), downMs: 3000 });
      expectCleanAnswers(run);
      expect(durabilityViolations(await readLedger({ type: 'postgres', url: cluster.url, schema }), run.samples)).toEqual([]);
    });
  });
});
