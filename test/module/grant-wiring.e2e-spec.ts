import { Injectable, Module } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthConfigError,
  AuthModule,
  OAuthGrant,
  TokenService,
  type AuthDatabaseOptions,
  type AuthModuleOptions,
  type ClientSeed,
  type GrantContext,
  type GrantHandler,
  type TokenResponse,
} from '../../src/index.js';
import { getMe, MeController } from '../support/app-helpers.js';
import { basic, postForm, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, freshDatabase, TEST_ISSUER, TEST_SECRET, type TestApp } from '../support/test-app.js';

const IMPERSONATION = 'urn:example:params:oauth:grant-type:impersonation';

/** A host grant: a token for the subject the (confidential) client names. */
@Injectable()
@OAuthGrant()
class ImpersonationGrant implements GrantHandler {
  readonly grantType = IMPERSONATION;
  readonly parameters = ['subject'];
  readonly allowsPublicClients = false;

  constructor(private readonly tokens: TokenService) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const issued = await this.tokens.issueAccessToken({ client, subject: params.subject ?? client.clientId, scopes: [] });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, issued_by: 'host grant' };
  }
}

/** The same grant type registered a second time. */
@Injectable()
@OAuthGrant()
class ImpersonationGrantAgain extends ImpersonationGrant {}

/** Marked as a grant but missing the contract. */
@Injectable()
@OAuthGrant()
class NotAGrant {
  readonly grantType = 'urn:example:not-a-grant';
}

/** A feature module owning the grant; it reaches TokenService only through a global AuthModule. */
@Module({ providers: [ImpersonationGrant] })
class ImpersonationModule {}

const SVC: ClientSeed = { clientId: 'svc', clientSecret: 'svc-secret-123', grantTypes: ['client_credentials', IMPERSONATION] };

describe.each(testMatrix())('grant handlers wired by the host on %s/%s', (platform, db) => {
  let t: TestApp | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await t?.close();
    await drop?.();
    t = undefined;
    drop = undefined;
  });

  function authModule(clients: ClientSeed[], isGlobal = false): { database: AuthDatabaseOptions; authModule: ReturnType<typeof AuthModule.forRoot> } {
    const fresh = freshDatabase(db);
    drop = fresh.drop;
    const options: AuthModuleOptions = { issuer: TEST_ISSUER, database: fresh.database, signing: { encryptionSecret: TEST_SECRET }, purgeInterval: 0, clients };
    return { database: fresh.database, authModule: AuthModule.forRoot({ ...options, isGlobal }) };
  }

  async function impersonate(subject: string) {
    return postForm(`${t!.url}/oauth/token`, { grant_type: IMPERSONATION, subject, ignored: 'x' }, { authorization: basic('svc', 'svc-secret-123') });
  }

  it('a grant provided in the host root module is discovered, advertised and dispatched to', async () => {
    t = await bootTestApp({ platform, db, ...authModule([SVC]), providers: [ImpersonationGrant], controllers: [MeController] });
    const metadata = await request(`${t.url}/.well-known/oauth-authorization-server`);
    expect(metadata.body.grant_types_supported).toEqual(expect.arrayContaining(['client_credentials', IMPERSONATION]));
    const res = await impersonate('alice');
    expect(res.status, res.text).toBe(200);
    expect(res.body.issued_by).toBe('host grant');
    const me = await getMe(t.url, res.body.access_token as string);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ sub: 'alice', clientId: 'svc' });
  });

  it('a grant in a feature module is discovered when AuthModule is global', async () => {
    t = await bootTestApp({ platform, db, ...authModule([SVC], true), imports: [ImpersonationModule], controllers: [MeController] });
    const res = await impersonate('bob');
    expect(res.status, res.text).toBe(200);
    expect((await getMe(t.url, res.body.access_token as string)).body).toMatchObject({ sub: 'bob' });
  });

  it('a client naming a grant nobody registered refuses the boot', async () => {
    const failure = await bootTestApp({ platform, db, ...authModule([SVC, { ...SVC, clientId: 'other', grantTypes: ['password'] }]) }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect((failure as AuthConfigError).problems).toEqual([
      `clients[0].grantTypes: '${IMPERSONATION}' is not a supported grant type`,
      "clients[1].grantTypes: 'password' is not a supported grant type",
    ]);
  });

  it('a grant type registered twice refuses the boot', async () => {
    const failure = await bootTestApp({ platform, db, ...authModule([]), providers: [ImpersonationGrant, ImpersonationGrantAgain] }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect(String(failure)).toContain(`grant ${IMPERSONATION}: registered twice`);
  });

  it('an @OAuthGrant() provider that is not a GrantHandler refuses the boot', async () => {
    const failure = await bootTestApp({ platform, db, ...authModule([]), providers: [NotAGrant] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthConfigError);
    expect(String(failure)).toContain('NotAGrant: @OAuthGrant() providers must implement GrantHandler');
  });
});
