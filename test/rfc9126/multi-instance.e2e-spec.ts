import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkce, TestBrowser } from '../support/authorization-flow.js';
import { testMatrix } from '../support/matrix.js';
import { redeemCode } from '../support/oidc-app.js';
import { OIDC_SCOPES } from '../support/oidc-app.js';
import { TestAccountsModule } from '../support/test-accounts.js';
import { bootTestApp, freshDatabase, type TestApp } from '../support/test-app.js';
import { authorizeWith, expectErrorPage, finishLogin, PAR_WEB, pushForm, pushOk } from './support.js';

/**
 * Two instances on one database (a shared SQLite file, or one PostgreSQL schema): a request pushed to A is used on
 * B, once; a second use is refused on A and on B, and of two concurrent uses on A and B exactly one goes on
 * (RFC 9126 section 7.3, security checklist FL6: the one-time state lives in the database every instance shares).
 */
describe.each(testMatrix())('pushed requests across two instances on %s/%s', (platform, db) => {
  let a: TestApp;
  let b: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = freshDatabase(db);
    drop = fresh.drop;
    const boot = () => bootTestApp({ platform, db, database: fresh.database, imports: [TestAccountsModule], options: { scopes: OIDC_SCOPES, clients: [PAR_WEB] } });
    a = await boot();
    b = await boot();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it('pushed on A, used on B to a code that A redeems; a second use is refused on A and on B', async () => {
    const { verifier, challenge } = pkce();
    const requestUri = await pushOk(a, PAR_WEB, pushForm(PAR_WEB, challenge));
    const browser = new TestBrowser(b);
    const started = await authorizeWith(browser, PAR_WEB, requestUri);
    expect(started.status, started.text).toBe(303);
    expectErrorPage(await authorizeWith(new TestBrowser(a), PAR_WEB, requestUri), /invalid_request_uri/);
    expectErrorPage(await authorizeWith(new TestBrowser(b), PAR_WEB, requestUri), /invalid_request_uri/);
    const code = (await finishLogin(browser, started, PAR_WEB.redirectUris![0]!)).get('code')!;
    const tokens = await redeemCode(a, PAR_WEB, code, verifier);
    expect(tokens.status, tokens.text).toBe(200);
  });

  it('of concurrent uses on A and B, exactly one goes on', async () => {
    for (let round = 0; round < 3; round += 1) {
      const requestUri = await pushOk(round % 2 === 0 ? a : b, PAR_WEB, pushForm(PAR_WEB, pkce().challenge));
      const answers = await Promise.all([authorizeWith(new TestBrowser(a), PAR_WEB, requestUri), authorizeWith(new TestBrowser(b), PAR_WEB, requestUri)]);
      expect(answers.map((res) => res.status).sort()).toEqual([303, 400]);
    }
  });
});
