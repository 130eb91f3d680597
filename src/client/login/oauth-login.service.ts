import { Inject, Injectable } from '@nestjs/common';
import { createHash, hkdfSync } from 'node:crypto';
import { Clock } from '../../internal/clock.js';
import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';
import { CookieSigner } from '../../server/interaction/cookie-signer.service.js';
import { readQueryParameters, type BrowserRequest } from '../../server/interaction/http/browser-request.js';
import { cookieValues } from '../../server/interaction/http/cookie-header.js';
import { seeOther, type PageCookie, type PageResponse } from '../../server/interaction/http/page-response.js';
import { appendQuery } from '../../server/authorize/authorization-response.js';
import { formatScope } from '../../internal/scope.js';
import { OAuthClientError } from '../oauth-client.error.js';
import { OAUTH_CLIENT_OPTIONS, OAuthClients } from '../oauth-clients.service.js';
import type { ResolvedOAuthClientOptions, ResolvedProvider } from '../resolve-oauth-client-options.js';
import { requestTokens } from '../token-request.js';
import { IdTokens } from './id-tokens.service.js';
import { safeReturnTo, userInfoKey, type LoginAttempt, type OAuthSession } from './login-state.js';
import { SealedEntries } from './sealed-entries.service.js';
import { fetchUserInfo } from './userinfo-request.js';

const BROWSER_COOKIE = 'authnest_rp_browser';
const SESSION_COOKIE = 'authnest_rp_session';

/** What a finished login gives the host: the session and the response that sets its cookie and goes back. */
export interface FinishedLogin {
  session: OAuthSession;
  response: PageResponse;
}

/**
 * Browser login through a provider (OpenID Connect Core section 3.1, RFC 7636, RFC 9207) and the app's own session:
 * `start` sends the browser to the provider with `state`, `nonce` and an S256 PKCE challenge, remembered server-side
 * under the `state` (so tabs do not overwrite each other) and bound to this browser by a signed cookie; `finish`
 * takes that attempt once, checks the browser, `iss` and the provider's answer, redeems the code, validates the ID
 * token, reads UserInfo (its `sub` must match) and starts the session; `session` reads it back; `logout` ends it
 * and, when the provider has an `end_session_endpoint`, sends the browser there.
 */
@Injectable()
export class OAuthLogin {
  private readonly signer?: CookieSigner;

  constructor(
    @Inject(OAUTH_CLIENT_OPTIONS) private readonly options: ResolvedOAuthClientOptions,
    private readonly clients: OAuthClients,
    private readonly entries: SealedEntries,
    private readonly idTokens: IdTokens,
    private readonly clock: Clock,
  ) {
    const secret = options.encryptionSecret;
    if (secret) this.signer = new CookieSigner(Buffer.from(hkdfSync('sha256', secret, 'authnest', 'authnest client cookies v1', 32)));
  }

  /** Starts a login through `provider`; `returnTo` is a path of this app (anything else becomes `/`). */
  async start(providerName: string, request: BrowserRequest, options: { returnTo?: string; prompt?: string } = {}): Promise<PageResponse> {
    const provider = this.loginProvider(providerName);
    const client = this.clients.get(providerName);
    const authorization = await client.endpoint('authorization');
    const { signer } = this.secrets();
    const existing = cookieValues(request, BROWSER_COOKIE).map((value) => signer.verify('rp-browser', value)).find((id) => id !== undefined);
    const browserId = existing ?? randomToken(32);
    const state = randomToken(32);
    const codeVerifier = randomToken(32);
    const attempt: LoginAttempt = { provider: providerName, browser: sha256Hex(browserId), codeVerifier, nonce: randomToken(16), returnTo: safeReturnTo(options.returnTo) };
    await this.entries.put(state, attempt, this.clock.now() + this.options.loginTtl * 1000);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: provider.login.redirectUri,
      scope: formatScope(provider.login.scopes),
      state,
      nonce: attempt.nonce,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    if (options.prompt) params.prompt = options.prompt;
    const cookies = existing ? [] : [this.cookie(BROWSER_COOKIE, signer.sign('rp-browser', browserId), undefined)];
    return seeOther(appendQuery(authorization, params), cookies);
  }

  /** Finishes a login at the callback; every failure is an `OAuthClientError` and starts no session. */
  async finish(request: BrowserRequest): Promise<FinishedLogin> {
    const params = readQueryParameters(request);
    const { signer } = this.secrets();
    // Checked before it is used up, so a request from another browser cannot burn this browser's attempt.
    const attempt = params.state === undefined ? undefined : await this.entries.get<LoginAttempt>(params.state);
    const browserIds = cookieValues(request, BROWSER_COOKIE).map((value) => signer.verify('rp-browser', value));
    const sameBrowser = attempt !== undefined && browserIds.some((id) => id !== undefined && sha256Hex(id) === attempt.browser);
    if (!attempt || !sameBrowser || !(await this.entries.take<LoginAttempt>(params.state!))) {
      throw new OAuthClientError('callback', 'invalid_state', 'The login was not started in this browser, was used, or expired');
    }
    const provider = this.loginProvider(attempt.provider);
    const client = this.clients.get(attempt.provider);
    const metadata = await client.metadata();
    // RFC 9207: `iss` must name the provider the login went to; required when the provider says it sends it.
    if (params.iss !== undefined ? params.iss !== provider.issuer : metadata.document.authorization_response_iss_parameter_supported === true) {
      throw new OAuthClientError(provider.name, 'invalid_issuer', 'The response does not come from the provider the login went to');
    }
    if (params.error !== undefined) {
      // The code comes from the query string: only an RFC 6749 error code is passed on as one (section 4.1.2.1).
      const code = /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(params.error) ? params.error : 'invalid_response';
      throw new OAuthClientError(provider.name, code, params.error_description?.slice(0, 300));
    }
    if (params.code === undefined) throw new OAuthClientError(provider.name, 'invalid_response', 'The response has no code');
    const tokens = await requestTokens(
      provider,
      await client.endpoint('token'),
      { grant_type: 'authorization_code', code: params.code, redirect_uri: provider.login.redirectUri, code_verifier: attempt.codeVerifier },
      this.options.timeoutMs,
      this.clock.now(),
    );
    if (!tokens.idToken) throw new OAuthClientError(provider.name, 'invalid_id_token', 'The token response has no ID token');
    const idClaims = await this.idTokens.atLogin(provider, tokens.idToken, attempt.nonce);
    const userinfo = metadata.endpoints.userinfo ? await fetchUserInfo(provider.name, metadata.endpoints.userinfo, tokens.accessToken, this.options.timeoutMs) : {};
    if (userinfo.sub !== undefined && userinfo.sub !== idClaims.sub) throw new OAuthClientError(provider.name, 'invalid_userinfo', 'UserInfo names another user than the ID token');
    const now = this.clock.now();
    const session: OAuthSession = {
      provider: provider.name,
      sub: String(idClaims.sub),
      claims: { ...idClaims, ...userinfo },
      tokens: { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, scopes: tokens.scopes, refreshToken: tokens.refreshToken, idToken: tokens.idToken },
      createdAt: now,
      expiresAt: now + this.options.sessionTtl * 1000,
    };
    await this.endCurrentSession(request);
    const token = randomToken(32);
    await this.entries.put(token, session, session.expiresAt);
    // UserInfo just read is the first entry of the session's user-info cache (`OAuthUserInfo`).
    if (metadata.endpoints.userinfo && this.options.userInfoTtl > 0) {
      await this.entries.put(userInfoKey(token), userinfo, Math.min(now + this.options.userInfoTtl * 1000, session.expiresAt));
    }
    const cookie = this.cookie(SESSION_COOKIE, signer.sign('rp-session', token), this.options.sessionTtl);
    return { session, response: seeOther(attempt.returnTo, [cookie]) };
  }

  /** The signed-in user of this request, or undefined. */
  async session(request: BrowserRequest): Promise<OAuthSession | undefined> {
    return (await this.currentSession(request))?.session;
  }

  /** The session and its store key (the cookie's token), for `OAuthSessionTokens`. */
  async currentSession(request: BrowserRequest): Promise<{ key: string; session: OAuthSession } | undefined> {
    const key = this.sessionToken(request);
    const session = key === undefined ? undefined : await this.entries.get<OAuthSession>(key);
    return key !== undefined && session ? { key, session } : undefined;
  }

  /**
   * Ends this app's session (its cookie is cleared) and resolves the response: to the provider's end-session
   * endpoint with the ID token as hint when the provider has one and `login.postLogoutRedirectUri` is set, else
   * to `returnTo` (default `/`).
   */
  async logout(request: BrowserRequest, options: { returnTo?: string } = {}): Promise<PageResponse> {
    const session = await this.session(request);
    await this.endCurrentSession(request);
    const cleared = this.cookie(SESSION_COOKIE, '', 0);
    const provider = session ? this.options.providers.find((p) => p.name === session.provider) : undefined;
    const endSession = provider?.login?.postLogoutRedirectUri ? (await this.clients.get(provider.name).metadata()).document.end_session_endpoint : undefined;
    if (!session || !provider?.login?.postLogoutRedirectUri || typeof endSession !== 'string') return seeOther(safeReturnTo(options.returnTo), [cleared]);
    const params: Record<string, string> = { client_id: provider.clientId, post_logout_redirect_uri: provider.login.postLogoutRedirectUri };
    if (session.tokens.idToken) params.id_token_hint = session.tokens.idToken;
    return seeOther(appendQuery(endSession, params), [cleared]);
  }

  private loginProvider(name: string): ResolvedProvider & { login: NonNullable<ResolvedProvider['login']> } {
    const provider = this.options.providers.find((candidate) => candidate.name === name);
    if (!provider?.login) throw new Error(`authnest: OAuth provider ${name} has no login options`);
    return provider as ResolvedProvider & { login: NonNullable<ResolvedProvider['login']> };
  }

  private sessionToken(request: BrowserRequest): string | undefined {
    const { signer } = this.secrets();
    return cookieValues(request, SESSION_COOKIE).map((value) => signer.verify('rp-session', value)).find((token) => token !== undefined);
  }

  private async endCurrentSession(request: BrowserRequest): Promise<void> {
    const token = this.sessionToken(request);
    if (token !== undefined) await this.endSession(token);
  }

  /** Removes a session and its cached UserInfo from the store. */
  async endSession(key: string): Promise<void> {
    await this.entries.delete(key);
    await this.entries.delete(userInfoKey(key));
  }

  private secrets(): { signer: CookieSigner } {
    if (!this.signer) throw new Error('authnest: OAuthClientModule needs encryptionSecret for login');
    return { signer: this.signer };
  }

  private cookie(name: string, value: string, maxAge: number | undefined): PageCookie {
    const secure = this.options.providers.some((provider) => provider.login?.redirectUri.startsWith('https:'));
    return { name, value, options: { path: '/', httpOnly: true, sameSite: 'lax', secure, ...(maxAge !== undefined ? { maxAge } : {}) } };
  }
}
