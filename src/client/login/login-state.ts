import type { ProviderTokens } from '../token-request.js';

/** A started login, kept server-side under its `state` until the callback (single use). */
export interface LoginAttempt {
  provider: string;
  /** Hash of the browser-binding cookie of the browser that started it. */
  browser: string;
  codeVerifier: string;
  nonce: string;
  /** A path of this app to go back to. */
  returnTo: string;
}

/** A signed-in user of this app, kept server-side under the session cookie's token. */
export interface OAuthSession {
  /** The provider the user logged in through. */
  provider: string;
  /** The user's `sub` at that provider. */
  sub: string;
  /** The ID token's claims, and UserInfo's when the provider has a UserInfo endpoint. */
  claims: Record<string, unknown>;
  /** The provider's tokens (the refresh token stays in the store, sealed with the session). */
  tokens: Pick<ProviderTokens, 'accessToken' | 'expiresAt' | 'scopes' | 'refreshToken' | 'idToken'>;
  /** When the user logged in and when the session ends (ms since the epoch). */
  createdAt: number;
  expiresAt: number;
}

/**
 * A relative path of this app: `/` then no second `/` or `\` (never an open redirect to another host). Anything
 * but one string (a repeated query parameter arrives as an array) is `/`.
 */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7E]*$/.test(value) ? value : '/';
}

/** The store key of a session's cached UserInfo (`OAuthUserInfo`), beside the session's own key. */
export function userInfoKey(sessionKey: string): string {
  return `userinfo:${sessionKey}`;
}
