import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizePath, clientRedirect, formOf, pkce, sha256, tableRows, TestBrowser } from '../support/authorization-flow.js';
import { bootFlowApp, codeRequest, FIRST } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import { InMemoryAccountService } from '../support/test-accounts.js';
import { FakeClock, type TestApp } from '../support/test-app.js';

/**
 * Login brute force (checklist J76, I74): attempts are counted per account (by username hash) and per client
 * address in the database before the AccountService is asked; over a limit the login page answers 429 with
 * Retry-After, the same for unknown users; a successful login resets the account's counter.
 */
describe.each(testMatrix())('login rate limits on %s/%s', (platform, db) => {
  let t: TestApp;
  let accounts: InMemoryAccountService;
  const clock = new FakeClock();
  beforeAll(async () => {
    t = await bootFlowApp(platform, db, {
      clock,
      options: { loginRateLimit: { perAccount: { max: 5, window: 900 }, perAddress: { max: 12, window: 600 } } },
    });
    accounts = t.app.get(InMemoryAccountService);
  });
  afterAll(() => t?.close());
  beforeEach(() => clock.advance(901)); // every test starts in fresh windows

  /** A login form of a fresh interaction and a function posting credentials to it. */
  async function loginForm() {
    const browser = new TestBrowser(t);
    const form = formOf((await browser.follow(await browser.get(authorizePath(codeRequest(FIRST, pkce().challenge))))).text);
    return { browser, attempt: (username: string, password: string) => browser.post(form.action, { csrf: form.csrf, username, password }) };
  }

  it.each(['alice', 'ghost'])('limits attempts for %s per account, before asking the AccountService, even with the right password', async (username) => {
    const { browser, attempt } = await loginForm();
    for (let i = 0; i < 5; i += 1) expect((await attempt(username, 'wrong')).status).toBe(400);
    const calls = accounts.verifyCalls;
    const limited = await attempt(username, `${username}-password`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(limited.text).toContain('Too many sign-in attempts');
    expect(accounts.verifyCalls).toBe(calls);
    expect(browser.jar.get('authnest_session')).toBeUndefined();
    // Another account from the same address is not locked by it.
    const other = await loginForm();
    clientRedirect(await other.attempt('bob', 'bob-password'), 'https://first.test/cb');
  });

  it('lets the account in again after the window', async () => {
    const { attempt } = await loginForm();
    for (let i = 0; i < 6; i += 1) await attempt('alice', 'wrong');
    clock.advance(901);
    clientRedirect(await (await loginForm()).attempt('alice', 'alice-password'), 'https://first.test/cb');
  });

  it('limits attempts per client address across usernames (429 with the address window)', async () => {
    const { attempt } = await loginForm();
    for (let i = 0; i < 12; i += 1) expect((await attempt(`user${i}`, 'wrong')).status).toBe(400);
    const limited = await attempt('bob', 'bob-password');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('600');
  });

  it('resets the account counter after a successful login', async () => {
    const { attempt } = await loginForm();
    for (let i = 0; i < 4; i += 1) await attempt('bob', 'wrong');
    clientRedirect(await attempt('bob', 'bob-password'), 'https://first.test/cb');
    const keys = (await tableRows(t.app, 'RateLimitEntity')).map((row) => String(row.key));
    expect(keys).not.toContain(`login:acct:${sha256('bob')}`);
    const next = await loginForm();
    for (let i = 0; i < 5; i += 1) expect((await next.attempt('bob', 'wrong')).status).toBe(400);
    expect((await next.attempt('bob', 'wrong')).status).toBe(429);
  });

  it('stores counters under hashes only: no username or address in clear', async () => {
    await (await loginForm()).attempt('alice', 'wrong');
    const rows = JSON.stringify(await tableRows(t.app, 'RateLimitEntity'));
    expect(rows).toContain(`login:acct:${sha256('alice')}`);
    for (const clear of ['alice', '127.0.0.1', 'ghost', 'wrong']) expect(rows).not.toContain(clear);
  });
});
