/**
 * The key-rotation migration (1764900000000) builds exactly the entity's columns (no schema drift) on SQLite and
 * PostgreSQL, with a schema, and reverts. (The upgrade of a database holding a key is in keys-cli.e2e-spec.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthnestSigningKeyRotation1764900000000 } from '../../src/persistence/migrations/1764900000000-authnest-signing-key-rotation.js';
import { authnestDataSource } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';

describe.each(testMatrix())('signing-key rotation migration on %s/%s', (platform, db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootTestApp({ platform, db });
  });
  afterAll(() => t?.close());

  it('has a migration that builds exactly the entity (no schema drift), and reverts', async () => {
    const dataSource = authnestDataSource(t.app);
    const drift = async () => (await dataSource.driver.createSchemaBuilder().log()).upQueries.filter((q) => q.query.includes('authnest_signing_keys'));
    expect(await drift()).toEqual([]);
    const runner = dataSource.createQueryRunner();
    try {
      await new AuthnestSigningKeyRotation1764900000000().down(runner);
      const columns = (await runner.getTable('authnest_signing_keys'))!.columns.map((column) => column.name);
      expect(columns).not.toContain('activate_at');
      expect(columns).not.toContain('revoked_at');
      await new AuthnestSigningKeyRotation1764900000000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await drift()).toEqual([]);
  });
});
