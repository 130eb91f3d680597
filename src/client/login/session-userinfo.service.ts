import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { BrowserRequest } from '../../server/interaction/http/browser-request.js';
import { OAuthClientError } from '../oauth-client.error.js';
import { OAUTH_CLIENT_OPTIONS, OAuthClients } from '../oauth-clients.service.js';
import type { ResolvedOAuthClientOptions } from '../resolve-oauth-client-options.js';
import { userInfoKey, type OAuthSession } from './login-state.js';
import { OAuthLogin } from './oauth-login.service.js';
import { SealedEntries } from './sealed-entries.service.js';
import { OAuthSessionTokens } from './session-tokens.service.js';
import { fetchUserInfo } from './userinfo-request.js';

/** Options of `OAuthUserInfo.get`. */
export interface UserInfoReadOptions {
  /**
   * Reads UserInfo from the provider even when the cache has it (the cache is then replaced).
   * @default false
   */
  fresh?: boolean;
}

/**
 * The signed-in user's UserInfo (OpenID Connect Core section 5.3), cached in the client store (sealed, beside the
 * session) for `userInfoTtl` seconds, as Authlib users cache it in Redis: `get(request)` answers from the cache, or
 * reads the provider's UserInfo endpoint with the session's access token (refreshed first when it is near expiry,
 * and once more when UserInfo answers 401). Its `sub` must be the session's. Without a UserInfo endpoint the
 * answer is the session's claims (those of the ID token). Undefined when there is no session, or it just ended.
 */
@Injectable()
export class OAuthUserInfo {
  constructor(
    @Inject(OAUTH_CLIENT_OPTIONS) private readonly options: ResolvedOAuthClientOptions,
    private readonly clients: OAuthClients,
    private readonly login: OAuthLogin,
    private readonly tokens: OAuthSessionTokens,
    private readonly entries: SealedEntries,
    private readonly clock: Clock,
  ) {}

  async get(request: BrowserRequest, options: UserInfoReadOptions = {}): Promise<Record<string, unknown> | undefined> {
    const current = await this.login.currentSession(request);
    if (!current) return undefined;
    const { key, session } = current;
    const endpoint = (await this.clients.get(session.provider).metadata()).endpoints.userinfo;
    if (!endpoint) return session.claims;
    if (!options.fresh && this.options.userInfoTtl > 0) {
      const cached = await this.entries.get<Record<string, unknown>>(userInfoKey(key));
      if (cached) return cached;
    }
    const claims = await this.read(request, current, endpoint);
    if (claims && this.options.userInfoTtl > 0) {
      await this.entries.put(userInfoKey(key), claims, Math.min(this.clock.now() + this.options.userInfoTtl * 1000, session.expiresAt));
    }
    return claims;
  }

  /** Forgets the request's cached UserInfo (the next `get` reads the provider). */
  async forget(request: BrowserRequest): Promise<void> {
    const current = await this.login.currentSession(request);
    if (current) await this.entries.delete(userInfoKey(current.key));
  }

  private async read(request: BrowserRequest, current: { key: string; session: OAuthSession }, endpoint: string): Promise<Record<string, unknown> | undefined> {
    const { session } = current;
    const once = (token: string) => fetchUserInfo(session.provider, endpoint, token, this.options.timeoutMs);
    const token = await this.tokens.accessTokenOf(current);
    if (token === undefined) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = await once(token);
    } catch (error) {
      if (!(error instanceof OAuthClientError) || error.code !== 'invalid_token') throw error;
      const refreshed = await this.tokens.refreshed(request);
      if (refreshed === undefined) return undefined;
      claims = await once(refreshed);
    }
    if (claims.sub !== session.sub) throw new OAuthClientError(session.provider, 'invalid_userinfo', 'UserInfo names another user than the session');
    return claims;
  }
}
