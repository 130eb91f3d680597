import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { BrowserRequest } from '../../server/interaction/http/browser-request.js';
import { OAuthClientError } from '../oauth-client.error.js';
import { OAUTH_CLIENT_OPTIONS, OAuthClients } from '../oauth-clients.service.js';
import type { ResolvedOAuthClientOptions } from '../resolve-oauth-client-options.js';
import { requestTokens } from '../token-request.js';
import { IdTokens } from './id-tokens.service.js';
import type { OAuthSession } from './login-state.js';
import { OAuthLogin } from './oauth-login.service.js';
import { SealedEntries } from './sealed-entries.service.js';

/** How long one refresh may hold the lock, and how long another instance waits for its result. */
const LOCK_MS = 10_000;
const WAIT_STEP_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The signed-in user's provider tokens: `accessToken(request)` is the session's access token, refreshed first (the
 * refresh_token grant, RFC 6749 section 6) when it has less than `refreshSkew` seconds left. One refresh per session
 * at a time: concurrent requests in this process share it, and other instances wait on a lock in the store and read
 * its result. An ID token the refresh returns is validated (OpenID Connect Core section 12.2: signature, the same
 * `iss`, `sub`, `aud` and `auth_time`) and its claims replace the session's. A refused refresh (`invalid_grant`:
 * revoked, expired) or a refreshed ID token that does not hold ends the session: the answer is then undefined and
 * `OAuthSessionGuard` sends 401; a provider that cannot be reached is an `OAuthClientError` `unavailable` and the
 * session stays. `fetch` calls an API with that token and, on 401, refreshes once and retries.
 */
@Injectable()
export class OAuthSessionTokens {
  private readonly inFlight = new Map<string, Promise<OAuthSession | undefined>>();

  constructor(
    @Inject(OAUTH_CLIENT_OPTIONS) private readonly options: ResolvedOAuthClientOptions,
    private readonly clients: OAuthClients,
    private readonly login: OAuthLogin,
    private readonly entries: SealedEntries,
    private readonly idTokens: IdTokens,
    private readonly clock: Clock,
  ) {}

  /** A usable access token of the request's signed-in user, or undefined (no session, or it just ended). */
  async accessToken(request: BrowserRequest): Promise<string | undefined> {
    const current = await this.login.currentSession(request);
    return current ? this.accessTokenOf(current) : undefined;
  }

  /** `accessToken` for a session already read from the store (`OAuthLogin.currentSession`). */
  async accessTokenOf(current: { key: string; session: OAuthSession }): Promise<string | undefined> {
    const fresh = this.fresh(current.session) ? current.session : await this.refresh(current.key, current.session);
    return fresh?.tokens.accessToken;
  }

  /**
   * Refreshes the request's tokens now, whatever their expiry (an API refused the access token), shared with any
   * refresh of the session in flight; resolves the new access token, or undefined when the session ended.
   */
  async refreshed(request: BrowserRequest): Promise<string | undefined> {
    const current = await this.login.currentSession(request);
    return current ? (await this.refresh(current.key, current.session))?.tokens.accessToken : undefined;
  }

  /** `fetch` as the signed-in user (`Authorization: Bearer`); on 401 the tokens are refreshed once and the call repeated. */
  async fetch(request: BrowserRequest, url: string | URL, init: RequestInit = {}): Promise<Response | undefined> {
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(url, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(this.options.timeoutMs) });
    };
    const token = await this.accessToken(request);
    if (token === undefined) return undefined;
    const first = await send(token);
    if (first.status !== 401) return first;
    await first.body?.cancel().catch(() => undefined);
    const refreshed = await this.refreshed(request);
    return refreshed !== undefined ? send(refreshed) : first;
  }

  private fresh(session: OAuthSession): boolean {
    const { expiresAt } = session.tokens;
    return expiresAt === undefined || expiresAt - this.options.refreshSkew * 1000 > this.clock.now();
  }

  private refresh(key: string, session: OAuthSession): Promise<OAuthSession | undefined> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refreshOnce(key, session).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async refreshOnce(key: string, session: OAuthSession): Promise<OAuthSession | undefined> {
    const lock = `refresh-lock:${key}`;
    if (!(await this.entries.claim(lock, this.clock.now() + LOCK_MS))) return this.awaitOtherInstance(key, session);
    try {
      const refreshToken = session.tokens.refreshToken;
      // Nothing to refresh with: the token serves until it expires, then the session ends.
      if (!refreshToken) return (session.tokens.expiresAt ?? 0) > this.clock.now() ? session : this.end(key);
      const provider = this.options.providers.find((candidate) => candidate.name === session.provider);
      if (!provider) return this.end(key);
      const client = this.clients.get(provider.name);
      const tokens = await requestTokens(
        provider,
        await client.endpoint('token'),
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        this.options.timeoutMs,
        this.clock.now(),
      );
      const idClaims = tokens.idToken ? await this.idTokens.afterRefresh(provider, tokens.idToken, session) : undefined;
      const updated: OAuthSession = {
        ...session,
        claims: idClaims ? { ...session.claims, ...idClaims } : session.claims,
        tokens: {
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          scopes: tokens.scopes.length > 0 ? tokens.scopes : session.tokens.scopes,
          refreshToken: tokens.refreshToken ?? refreshToken,
          idToken: tokens.idToken ?? session.tokens.idToken,
        },
      };
      await this.entries.put(key, updated, session.expiresAt);
      return updated;
    } catch (error) {
      if (error instanceof OAuthClientError && (error.code === 'invalid_grant' || error.code === 'invalid_id_token')) return this.end(key);
      throw error;
    } finally {
      await this.entries.delete(lock);
    }
  }

  /** Another instance holds the lock: wait (bounded) for the session it stores, then use whatever is there. */
  private async awaitOtherInstance(key: string, session: OAuthSession): Promise<OAuthSession | undefined> {
    for (let waited = 0; waited < LOCK_MS; waited += WAIT_STEP_MS) {
      await sleep(WAIT_STEP_MS);
      const current = await this.entries.get<OAuthSession>(key);
      if (!current || current.tokens.accessToken !== session.tokens.accessToken) return current;
    }
    return this.entries.get<OAuthSession>(key);
  }

  private async end(key: string): Promise<undefined> {
    await this.login.endSession(key);
    return undefined;
  }
}
