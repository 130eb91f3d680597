import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authnestDataSource } from '../support/app-helpers.js';
import { testMatrix } from '../support/matrix.js';
import { bootGrantApp, codeTokens, expectActive, expectInactive, revoke, WEB, type GrantApp } from './grant-helpers.js';

/**
 * Revoking a grant (revocation request, refresh token reuse, code replay) revokes its refresh-token family and its
 * access tokens in one transaction. Found by test/cluster/crash.e2e-spec.ts: an instance killed between the two
 * updates left the family revoked and the access token accepted for the rest of its lifetime. Here the second update
 * is made to fail (a trigger refuses it): nothing is revoked, and once it can succeed, everything is.
 */
describe.each(testMatrix())('grant revocation is all or nothing on %s/%s', (platform, db) => {
  let g: GrantApp;

  beforeAll(async () => {
    g = await bootGrantApp(platform, db, { accessToken: { format: 'opaque' } });
  });
  afterAll(() => g?.t.close());

  /** Statements that make every update of an access token's revoked_at fail, and the ones that undo that. */
  function refusal(): { install: string[]; remove: string[] } {
    const table = authnestDataSource(g.t.app).getMetadata('AccessTokenEntity').tablePath;
    if (db === 'sqlite') {
      return {
        install: [`CREATE TRIGGER refuse_revocation BEFORE UPDATE OF revoked_at ON ${table} BEGIN SELECT RAISE(ABORT, 'refused'); END`],
        remove: ['DROP TRIGGER refuse_revocation'],
      };
    }
    const schema = table.includes('.') ? `${table.split('.')[0]}.` : '';
    return {
      install: [
        `CREATE FUNCTION ${schema}refuse_revocation() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`,
        `CREATE TRIGGER refuse_revocation BEFORE UPDATE OF revoked_at ON ${table} FOR EACH ROW EXECUTE FUNCTION ${schema}refuse_revocation()`,
      ],
      remove: [`DROP TRIGGER refuse_revocation ON ${table}`, `DROP FUNCTION ${schema}refuse_revocation()`],
    };
  }

  it('leaves the refresh tokens live when the access tokens cannot be revoked, and revokes both once they can', async () => {
    const tokens = await codeTokens(g.t, WEB);
    const dataSource = authnestDataSource(g.t.app);
    const { install, remove } = refusal();
    for (const statement of install) await dataSource.query(statement);
    try {
      const failed = await revoke(g.t, WEB, tokens.refresh_token!);
      expect(failed.status, failed.text).toBeGreaterThanOrEqual(500);
    } finally {
      for (const statement of remove) await dataSource.query(statement);
    }
    await expectActive(g.t, tokens.refresh_token!);
    await expectActive(g.t, tokens.access_token);

    expect((await revoke(g.t, WEB, tokens.refresh_token!)).status).toBe(200);
    await expectInactive(g.t, tokens.refresh_token!);
    await expectInactive(g.t, tokens.access_token);
  });
});
