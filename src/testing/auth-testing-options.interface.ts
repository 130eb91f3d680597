import type { JWK } from 'jose';
import type { AccessTokenFormat, AuthModuleOptions } from '../options/auth-options.interface.js';

/** A fake user of the testing server: found by `sub`, signs in on the builtin login page with `username`/`password`. */
export interface TestAccountSeed {
  /** The subject identifier (`sub`) of the user's tokens. */
  sub: string;
  /**
   * What the user types on the login page.
   * @default the `sub`
   */
  username?: string;
  /**
   * The password accepted on the login page; without one the account cannot sign in there (minted tokens still work).
   * @default undefined
   */
  password?: string;
  /**
   * OpenID Connect claims about the user (`name`, `email`, ...), released by scope as a real `AccountService`'s are.
   * @default {}
   */
  claims?: Record<string, unknown>;
  /**
   * Whether the account may sign in and use its tokens.
   * @default true
   */
  active?: boolean;
}

/** What tokens minted without saying otherwise contain. */
export interface TestTokenDefaults {
  /**
   * The issuer of the testing server (`iss` of every token, `realm` of the guards' challenges, the base of its
   * endpoints' URLs). Nothing is ever fetched from it. http keeps the login pages' cookies usable over plain http.
   * @default 'http://localhost'
   */
  issuer?: string;
  /**
   * `aud` of minted access tokens, and the audience the guards require.
   * @default the issuer
   */
  audience?: string;
  /**
   * Format of minted access tokens.
   * @default 'jwt'
   */
  tokenFormat?: AccessTokenFormat;
  /**
   * `client_id` of minted tokens (the client need not exist).
   * @default 'test-client'
   */
  clientId?: string;
  /**
   * `sub` of minted tokens.
   * @default 'test-user'
   */
  subject?: string;
  /**
   * Scopes of tokens minted without a `scope`.
   * @default []
   */
  defaultScopes?: string[];
  /**
   * Lifetime in seconds of minted tokens.
   * @default 3600
   */
  expiresIn?: number;
  /**
   * Makes the guards, `AuthTesting` and every AuthModule export injectable in every module, as the module it replaces
   * may have been (`isGlobal: true`).
   * @default true
   */
  isGlobal?: boolean;
}

/** Options of `AuthTestingModule.forRoot()`: a throwaway authorization server for a host app's tests. */
export interface AuthTestingModuleOptions extends TestTokenDefaults {
  /**
   * Fake users, provided as the `AccountService` (`ACCOUNT_SERVICE`) so the real login pages work in tests. Without
   * them the host's own `AccountService`, if it provides one globally, is used.
   * @default []
   */
  accounts?: TestAccountSeed[];
  /**
   * Any other `AuthModule` option (clients, scopes, oidc, dpop, interaction, ...), applied over the testing defaults:
   * an in-memory SQLite database (`{ type: 'sqlite', path: ':memory:' }`), a random encryption secret, no purge timer.
   * @default {}
   */
  server?: Partial<Omit<AuthModuleOptions, 'issuer'>>;
}

/** Options of `AuthTestingModule.forResourceServer()`: stands in for `AuthResourceModule` and its remote issuer. */
export interface AuthResourceTestingOptions extends TestTokenDefaults {
  /**
   * `realm` of the guards' `WWW-Authenticate` challenges.
   * @default the issuer
   */
  realm?: string;
}

/** What to put in a minted access token; anything left out comes from the module's options. */
export interface MintAccessTokenOptions {
  /**
   * `sub`: the user, or the client for a client_credentials-like token.
   * @default the module's `subject`
   */
  subject?: string;
  /**
   * `client_id`.
   * @default the module's `clientId`
   */
  clientId?: string;
  /**
   * Scopes, as a list or a space-separated string (any RFC 6749 scope tokens, configured or not).
   * @default the module's `defaultScopes`
   */
  scope?: string | readonly string[];
  /**
   * Extra claims of a JWT (`tenant`, `roles`, ...), seen in `@CurrentToken()`'s `claims`. Registered claims have their
   * own options and are refused here; opaque tokens carry no extra claims.
   * @default {}
   */
  claims?: Record<string, unknown>;
  /**
   * Lifetime in seconds.
   * @default the module's `expiresIn`
   */
  expiresIn?: number;
  /**
   * `jwt` or `opaque`.
   * @default the module's `tokenFormat`
   */
  format?: AccessTokenFormat;
  /**
   * `aud`.
   * @default the module's `audience`
   */
  audience?: string;
  /**
   * Binds the token to a DPoP key (RFC 9449): its public JWK or its RFC 7638 thumbprint. The guards then accept it
   * only with the DPoP scheme and a proof of that key (the server needs `server: { dpop: {} }`).
   * @default undefined (a bearer token)
   */
  dpop?: { jkt: string } | JWK;
}

/** What to put in a minted ID token (OpenID Connect Core section 2). */
export interface MintIdTokenOptions {
  /**
   * `sub`.
   * @default the module's `subject`
   */
  subject?: string;
  /**
   * `aud`: the client the ID token is for.
   * @default the module's `clientId`
   */
  clientId?: string;
  /**
   * `nonce`, echoed as given.
   * @default undefined (no nonce)
   */
  nonce?: string;
  /**
   * User claims (`name`, `email`, ...); registered claims have their own options and are refused here.
   * @default {}
   */
  claims?: Record<string, unknown>;
  /**
   * Lifetime in seconds.
   * @default the module's `expiresIn`
   */
  expiresIn?: number;
  /**
   * `auth_time`, milliseconds since the epoch.
   * @default now
   */
  authTime?: number;
}
