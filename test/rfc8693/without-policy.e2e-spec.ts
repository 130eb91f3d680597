import { describe, expect, it } from 'vitest';
import { type AuthModuleOptions } from '../../src/index.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix, type Database, type Platform } from '../support/matrix.js';
import { bootProblems } from '../support/boot-problems.js';
import { bootTestApp } from '../support/test-app.js';
import { expectOAuthError } from '../token-endpoint/helpers.js';
import { ACCESS_TOKEN, GRANT } from './support.js';

const FIX = `'${GRANT}' needs a TokenExchangePolicy: provide one under TOKEN_EXCHANGE_POLICY`;

const bootWith = (platform: Platform, db: Database, options: Partial<AuthModuleOptions>) => bootProblems(platform, db, ['a'], options);

/**
 * Secure default: without a TokenExchangePolicy under TOKEN_EXCHANGE_POLICY nobody decides who may exchange which
 * token, so the grant is off. Boot refuses a seeded client or a registration setting that names it, with a message
 * that says what to provide; otherwise the grant is neither advertised nor dispatched.
 */
describe.each(testMatrix())('token exchange without a policy on %s/%s', (platform, db) => {
  it('refuses to boot with a seeded client that has the grant, or registration.grantTypes naming it', async () => {
    const problems = await bootWith(platform, db, {
      clients: [
        { clientId: 'plain', clientSecret: 'plain-secret-000000001', scopes: ['a'] },
        { clientId: 'exchanger', clientSecret: 'exchanger-secret-00001', grantTypes: [GRANT], scopes: ['a'] },
      ],
      registration: { mode: 'open', grantTypes: ['authorization_code', GRANT] },
    });
    expect(problems).toEqual([`clients[1].grantTypes: ${FIX}`, `registration.grantTypes: ${FIX}`]);
  });

  it('boots without such a client: the grant is not advertised and answers unsupported_grant_type', async () => {
    const t = await bootTestApp({ platform, db, options: { scopes: ['a'], clients: [{ clientId: 'svc', clientSecret: 'svc-secret-0000000001', scopes: ['a'] }] } });
    try {
      const metadata = await request(`${t.url}/.well-known/oauth-authorization-server`);
      expect(metadata.body.grant_types_supported).not.toContain(GRANT);
      const token = await postForm(`${t.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic('svc', 'svc-secret-0000000001') });
      const res = await postForm(
        `${t.url}/oauth/token`,
        { grant_type: GRANT, subject_token: token.body.access_token as string, subject_token_type: ACCESS_TOKEN },
        { authorization: basic('svc', 'svc-secret-0000000001') },
      );
      expectOAuthError(res, 400, 'unsupported_grant_type');
    } finally {
      await t.close();
    }
  });
});
