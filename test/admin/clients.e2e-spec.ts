/**
 * `AuthAdminService` clients inside a booted app (issue 11 item 2): a client created through the service gets tokens
 * over HTTP with the secret shown once (only its hash is stored); rotating the secret refuses the old one at once
 * (even right after it was verified and cached) and accepts the new one; an update of the redirect URIs is honoured
 * by the authorization endpoint; metadata is validated like a seed; every change emits its event with source
 * `admin-service`, never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthAdminError, ClientEntity } from '../../src/index.js';
import { authnestDataSource, getMe, issueToken, requestToken } from '../support/app-helpers.js';
import { authorizePath, pkce, TestBrowser } from '../support/authorization-flow.js';
import { codeRequest, SCOPES } from '../support/flow-app.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { adminOf, bootAdminApp, expectNoSecretIn, type SeenEvent } from './support.js';

describe.each(testMatrix())('AuthAdminService clients on %s/%s', (platform, db) => {
  let t: TestApp;
  let events: SeenEvent[];
  const secrets: string[] = [];

  beforeAll(async () => {
    ({ t, events } = await bootAdminApp(platform, db));
  });
  afterAll(() => t?.close());

  it('creates a confidential client whose secret, shown once, gets a token; only its hash is stored', async () => {
    const created = await adminOf(t).createClient({ clientId: 'svc', name: 'Service', scopes: ['posts:read'], defaultScopes: ['posts:read'] });
    expect(created.client).toMatchObject({ clientId: 'svc', name: 'Service', confidential: true, disabled: false, authMethods: ['client_secret_basic'], grantTypes: ['client_credentials'] });
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    secrets.push(created.clientSecret!);
    expect(JSON.stringify(created.client)).not.toContain(created.clientSecret);
    const row = await authnestDataSource(t.app).getRepository(ClientEntity).findOneByOrFail({ clientId: 'svc' });
    expect(row.secretHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(created.clientSecret);

    const token = await issueToken(t.url, 'svc', created.clientSecret!);
    expect((await getMe(t.url, token)).body).toMatchObject({ sub: 'svc', clientId: 'svc', scopes: ['posts:read'] });
    expect(await adminOf(t).getClient('svc')).toMatchObject({ clientId: 'svc' });
    expect((await adminOf(t).listClients()).map((client) => client.clientId)).toEqual(['rs', 'svc', 'web']);
    expect(events).toContainEqual({ name: 'authnest.client.registered', payload: expect.objectContaining({ clientId: 'svc', source: 'admin-service' }) });
  });

  it('creates public clients without a secret, and generates an id when none is given', async () => {
    const spa = await adminOf(t).createClient({ authMethods: ['none'], grantTypes: ['authorization_code'], scopes: SCOPES, redirectUris: ['https://spa.admin.test/cb'] });
    expect(spa.clientSecret).toBeUndefined();
    expect(spa.client.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(spa.client.confidential).toBe(false);
  });

  it('rotates a secret: the old one is refused at once (even freshly verified), the new one works', async () => {
    const [old] = secrets;
    await issueToken(t.url, 'svc', old!); // verified and cached
    const rotated = await adminOf(t).rotateClientSecret('svc');
    secrets.push(rotated.clientSecret);
    expect(rotated.clientSecret).not.toBe(old);
    expectOAuthError(await requestToken(t.url, 'svc', old!), 401, 'invalid_client');
    await issueToken(t.url, 'svc', rotated.clientSecret);
    expect(events).toContainEqual({ name: 'authnest.client.updated', payload: expect.objectContaining({ clientId: 'svc', source: 'admin-service', change: 'secret-rotated' }) });
    await expect(adminOf(t).rotateClientSecret('no-such-client')).rejects.toMatchObject({ reason: 'not_found' });
    const spa = (await adminOf(t).listClients()).find((client) => !client.confidential)!;
    await expect(adminOf(t).rotateClientSecret(spa.clientId)).rejects.toMatchObject({ reason: 'refused' });
  });

  it('updates redirect URIs: the authorization endpoint accepts the new one and refuses the old one with a page', async () => {
    const created = await adminOf(t).createClient({ clientId: 'app', grantTypes: ['authorization_code', 'refresh_token'], scopes: SCOPES, redirectUris: ['https://old.admin.test/cb'] });
    secrets.push(created.clientSecret!);
    const rows = authnestDataSource(t.app).getRepository(ClientEntity);
    const hashBefore = (await rows.findOneByOrFail({ clientId: 'app' })).secretHash;
    const updated = await adminOf(t).updateClient('app', { redirectUris: ['https://new.admin.test/cb'], name: 'Renamed' });
    expect(updated).toMatchObject({ name: 'Renamed', redirectUris: ['https://new.admin.test/cb'], scopes: SCOPES, confidential: true });
    const browser = new TestBrowser(t);
    const { challenge } = pkce();
    const client = { clientId: 'app', redirectUris: ['https://new.admin.test/cb'] };
    const accepted = await browser.get(authorizePath(codeRequest(client, challenge)));
    expect(accepted.status, accepted.text).toBe(303);
    expect(accepted.headers.get('location')).toContain('/oauth/interaction/');
    const refused = await browser.get(authorizePath(codeRequest({ ...client, redirectUris: ['https://old.admin.test/cb'] }, challenge)));
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect((await rows.findOneByOrFail({ clientId: 'app' })).secretHash).toBe(hashBefore); // the secret was kept
    expect(events).toContainEqual({ name: 'authnest.client.updated', payload: expect.objectContaining({ clientId: 'app', change: 'updated' }) });
  });

  it('validates metadata like a seed and refuses a taken client id, changing nothing', async () => {
    const cases: [Parameters<ReturnType<typeof adminOf>['createClient']>[0], string][] = [
      [{ clientId: 'bad-scope', scopes: ['nope'] }, "client.scopes: 'nope' is not in scopes"],
      [{ clientId: 'bad-grant', grantTypes: ['password'] }, "client.grantTypes: 'password' is not a supported grant type"],
      [{ clientId: 'bad-uri', grantTypes: ['authorization_code'], redirectUris: ['http://evil.test/cb'] }, 'client.redirectUris'],
      [{ clientId: 'has space' }, 'client.clientId'],
      [{ clientId: 'typo', scopez: ['profile'] } as never, 'client.scopez: property scopez should not exist'],
    ];
    for (const [input, problem] of cases) {
      const error = await adminOf(t).createClient(input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthAdminError);
      expect(error).toMatchObject({ reason: 'invalid' });
      expect((error as AuthAdminError).problems.join('\n')).toContain(problem);
    }
    await expect(adminOf(t).createClient({ clientId: 'svc' })).rejects.toMatchObject({ reason: 'conflict' });
    await expect(adminOf(t).updateClient('app', { scopes: ['nope'] })).rejects.toMatchObject({ reason: 'invalid' });
    expect((await adminOf(t).getClient('app')).scopes).toEqual(SCOPES);
    expect((await adminOf(t).listClients()).map((client) => client.clientId)).not.toContain('bad-scope');
    expectNoSecretIn(events, secrets);
  });
});
