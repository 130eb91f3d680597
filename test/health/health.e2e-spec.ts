import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthHealth, KeyStoreService } from '../../src/index.js';
import { postgresBinaries, startCluster, type PgCluster } from '../faults/pg-cluster.js';
import { RedisProcess } from '../redis/support/redis-process.js';
import { authnestDataSource } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { authnestDetails, bootHealthApp, eventually, health, revokeEveryKeyInDatabase } from './support.js';

/** What must never be in a health answer: the database URL's password and user, hosts, SQL, driver messages. */
const LEAKS = [/authnest:authnest|password|127\.0\.0\.1|SELECT|sqlite|postgres|relation|\/tmp\//i];

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toMatch(leak);
}

/**
 * authnest's health for readiness probes (issue 11): `AuthHealth.check()` and the terminus indicator of
 * `authnest/health` in a host's `/health` (TerminusModule): 200 with database, keys and Redis details while all is
 * well; 503 with the part that is down when the database does not answer (PostgreSQL stopped or hung; SQLite's
 * connection closed), when no signing key can sign, and when a configured Redis is down; up again once it is back.
 */
describe.each(testMatrix())('authnest health on %s/%s', (platform, db) => {
  describe('database and keys', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await bootHealthApp(platform, db);
    });
    afterAll(() => t?.close());

    it('answers 200 with the details of every part while all is well', async () => {
      const res = await health(t);
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const details = authnestDetails(res);
      expect(details).toEqual({
        status: 'up',
        database: { status: 'up', latencyMs: expect.any(Number) },
        keys: { status: 'up', latencyMs: expect.any(Number), kid: expect.any(String), alg: 'ES256' },
        redis: { status: 'not configured' },
      });
      const report = await t.app.get(AuthHealth).check();
      expect(report.status).toBe('up');
      expect(report.keys.kid).toBe(details.keys!.kid);
    });

    it('answers 503 with keys down when no signing key can sign, and 200 once one can', async () => {
      await revokeEveryKeyInDatabase(t);
      const res = await health(t);
      expect(res.status, res.text).toBe(503);
      expect(res.body.status).toBe('error');
      expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const details = authnestDetails(res);
      expect(details.status).toBe('down');
      expect(details.keys).toEqual({ status: 'down', latencyMs: expect.any(Number), alg: 'ES256', message: 'no active signing key of ES256' });
      expect(details.database!.status).toBe('up');
      await t.app.get(KeyStoreService).reload(); // creates a replacement, as the next reload of any instance would
      expect((await health(t)).status).toBe(200);
    });

    it.skipIf(db !== 'sqlite')("answers 503 with the database down when SQLite's connection is closed, and 200 once reopened", async () => {
      const dataSource = authnestDataSource(t.app);
      await dataSource.destroy();
      try {
        const res = await health(t);
        expect(res.status, res.text).toBe(503);
        const details = authnestDetails(res);
        expect(details.database).toEqual({ status: 'down', latencyMs: expect.any(Number), message: expect.stringMatching(/^query failed \(\w+\)$/) });
        expect(details.keys!.status).toBe('down');
        expectNoLeak(res.text);
      } finally {
        await dataSource.initialize();
      }
      expect((await health(t)).status).toBe(200);
    });
  });

  describe.skipIf(db !== 'postgres' || !postgresBinaries())('a PostgreSQL stopped, hung, and back', () => {
    let cluster: PgCluster;
    let t: TestApp;
    beforeAll(async () => {
      cluster = await startCluster();
      t = await bootHealthApp(platform, db, {}, { database: { type: 'postgres', url: cluster.url, schema: `health_${platform}`, poolSize: 4 } });
    });
    afterAll(async () => {
      await t?.close();
      await cluster?.destroy();
    });

    it('answers 503 with the database down while stopped or hung (within the timeout), 200 once it answers again', async () => {
      expect((await health(t)).status).toBe(200);

      await cluster.stop('fast');
      const stopped = await health(t);
      expect(stopped.status, stopped.text).toBe(503);
      expect(authnestDetails(stopped).database).toEqual({ status: 'down', latencyMs: expect.any(Number), message: expect.stringMatching(/^query failed \([A-Z0-9_]+\)$/) });
      expectNoLeak(stopped.text);
      await cluster.start();
      await eventually(async () => (await health(t)).status === 200, 10_000);

      cluster.freeze();
      try {
        const started = Date.now();
        const hung = await health(t);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(hung.status, hung.text).toBe(503);
        expect(authnestDetails(hung).database).toEqual({ status: 'down', latencyMs: expect.any(Number), message: 'query: no answer within 1000 ms' });
      } finally {
        cluster.thaw();
      }
      await eventually(async () => (await health(t)).status === 200, 10_000);
    });
  });

  describe('with Redis', () => {
    let redis: RedisProcess;
    let t: TestApp;
    beforeAll(async () => {
      redis = await RedisProcess.start();
      t = await bootHealthApp(platform, db, { redis: { url: redis.url } });
    });
    afterAll(async () => {
      await t?.close();
      await redis?.stop();
    });

    it('is up with Redis up, 503 with Redis down while it is down, and up again once it is back', async () => {
      const up = await health(t);
      expect(up.status, up.text).toBe(200);
      expect(authnestDetails(up).redis).toEqual({ status: 'up', latencyMs: expect.any(Number) });

      await redis.kill();
      await eventually(async () => (await health(t)).status === 503);
      const down = await health(t);
      const details = authnestDetails(down);
      expect(details.status).toBe('down');
      expect(details.redis).toMatchObject({ status: 'down', message: expect.any(String) });
      expect([details.database!.status, details.keys!.status]).toEqual(['up', 'up']);
      expectNoLeak(down.text);

      await redis.restart();
      await eventually(async () => (await health(t)).status === 200, 10_000);
    });
  });
});
