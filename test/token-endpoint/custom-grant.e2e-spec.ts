import { Inject, Injectable } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_OPTIONS,
  grantableScopes,
  InvalidRequestError,
  OAuthGrant,
  TokenService,
  type GrantContext,
  type GrantHandler,
  type ResolvedAuthOptions,
  type TokenResponse,
} from '../../src/index.js';
import { basic, request } from '../support/http.js';
import { testMatrix } from '../support/matrix.js';
import { bootTestApp, type TestApp } from '../support/test-app.js';
import { ApiController, callApi, CLIENT_CREDENTIALS, expectOAuthError, expectTokenResponse, tokenRequest } from './helpers.js';

const DELEGATION = 'urn:example:params:oauth:grant-type:delegation';
const PING = 'urn:example:params:oauth:grant-type:ping';

/** A user's own grant, as the README tells them to write one: a token for a named subject. */
@Injectable()
@OAuthGrant()
class DelegationGrant implements GrantHandler {
  readonly grantType = DELEGATION;
  readonly parameters = ['subject', 'scope'];
  readonly allowsPublicClients = false;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly tokens: TokenService,
  ) {}

  async handle({ client, params, authMethod }: GrantContext): Promise<TokenResponse> {
    if (params.subject === undefined) throw new InvalidRequestError('The subject parameter is required');
    if (params.subject === 'explode') throw new Error(`boom at /srv/app/secret.ts:12 with ${JSON.stringify(params)}`);
    const scopes = grantableScopes(params.scope, client, this.options.scopes);
    const issued = await this.tokens.issueAccessToken({ client, subject: params.subject, scopes });
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      received_parameters: Object.keys(params).sort(),
      auth_method: authMethod,
    };
  }
}

/** A second user grant that public clients may use. */
@Injectable()
@OAuthGrant()
class PingGrant implements GrantHandler {
  readonly grantType = PING;
  readonly parameters = [];
  readonly allowsPublicClients = true;

  constructor(private readonly tokens: TokenService) {}

  async handle({ client, authMethod }: GrantContext): Promise<TokenResponse> {
    const issued = await this.tokens.issueAccessToken({ client, subject: client.clientId, scopes: [] });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, auth_method: authMethod };
  }
}

/** Extension grants (RFC 6749 section 4.5) added by the host app through `@OAuthGrant()` providers. */
describe.each(testMatrix())('a custom grant on %s/%s', (platform, db) => {
  const DELEGATOR = { id: 'delegator', secret: 'delegator-secret-01' };
  const PLAIN = { id: 'plain', secret: 'plain-secret-000002' };
  const PUBLIC = 'public-pinger';
  let t: TestApp;

  const delegate = (form: Record<string, string>, who = DELEGATOR) =>
    tokenRequest(t, { grant_type: DELEGATION, ...form }, { authorization: basic(who.id, who.secret) });

  beforeAll(async () => {
    t = await bootTestApp({
      platform,
      db,
      controllers: [ApiController],
      providers: [DelegationGrant, PingGrant],
      options: {
        scopes: ['a', 'b'],
        clients: [
          { clientId: DELEGATOR.id, clientSecret: DELEGATOR.secret, grantTypes: [DELEGATION, 'client_credentials'], scopes: ['a'],
            authMethods: ['client_secret_basic', 'client_secret_post'] },
          { clientId: PLAIN.id, clientSecret: PLAIN.secret, scopes: ['a'] },
          { clientId: PUBLIC, grantTypes: [PING] },
        ],
      },
    });
  });
  afterAll(() => t?.close());

  it('is advertised in grant_types_supported beside the built-in grants', async () => {
    const metadata = await request(`${t.url}/.well-known/oauth-authorization-server`);
    expect([...(metadata.body.grant_types_supported as string[])].sort()).toEqual(['authorization_code', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer', DELEGATION, PING].sort());
  });

  it('is dispatched by grant_type and issues a token the guarded routes accept', async () => {
    const res = await delegate({ subject: 'user-42', scope: 'a' });
    const { access_token } = expectTokenResponse(res);
    expect(res.body.auth_method).toBe('client_secret_basic');
    const seen = await callApi(t, '/api/a', access_token);
    expect(seen.status, seen.text).toBe(200);
    expect((await callApi(t, '/api/any', access_token)).body).toMatchObject({ sub: 'user-42', clientId: DELEGATOR.id, scopes: ['a'] });
  });

  it('hands the handler only its allowlisted parameters: no grant_type, credentials, unknown or empty ones', async () => {
    const res = await tokenRequest(t, {
      grant_type: DELEGATION,
      subject: 'user-7',
      scope: '',
      client_id: DELEGATOR.id,
      client_secret: DELEGATOR.secret,
      audience: 'https://elsewhere.example',
      unknown: 'x',
    });
    expectTokenResponse(res);
    expect(res.body.received_parameters).toEqual(['subject']);
    expect(res.body.auth_method).toBe('client_secret_post');
  });

  it("answers with the handler's own OAuth error in the RFC envelope", async () => {
    expectOAuthError(await delegate({}), 400, 'invalid_request');
    expectOAuthError(await delegate({ subject: 'user-1', scope: 'b' }), 400, 'invalid_scope');
  });

  it('turns an unexpected error of the handler into a bare server_error that leaks nothing', async () => {
    const res = await delegate({ subject: 'explode' });
    expectOAuthError(res, 500, 'server_error');
    expect(res.text).not.toContain('boom');
    expect(res.text).not.toContain('explode');
  });

  it('authenticates the client before the handler runs', async () => {
    expectOAuthError(await delegate({ subject: 'user-1' }, { id: DELEGATOR.id, secret: 'wrong-secret-0000' }), 401, 'invalid_client');
    expectOAuthError(await tokenRequest(t, { grant_type: DELEGATION, subject: 'user-1' }), 401, 'invalid_client');
  });

  it('answers 400 unauthorized_client to a client not registered for the custom grant', async () => {
    expectOAuthError(await delegate({ subject: 'user-1' }, PLAIN), 400, 'unauthorized_client');
  });

  it('answers 400 unauthorized_client to a client registered only for the custom grant asking for client_credentials', async () => {
    const res = await tokenRequest(t, { ...CLIENT_CREDENTIALS, client_id: PUBLIC });
    expectOAuthError(res, 400, 'unauthorized_client');
  });

  it('lets a public client use a grant that allows public clients, and only that one', async () => {
    const res = await tokenRequest(t, { grant_type: PING, client_id: PUBLIC });
    expectTokenResponse(res);
    expect(res.body.auth_method).toBe('none');
    expectOAuthError(await tokenRequest(t, { grant_type: DELEGATION, client_id: PUBLIC, subject: 'user-1' }), 400, 'unauthorized_client');
  });
});
