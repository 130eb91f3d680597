/**
 * The typed audit events authnest emits for every protocol outcome. None carries a secret: no token, code,
 * refresh token, client secret, password or assertion, only ids (`jti`, client id, subject, key id).
 *
 * Subscribe with `@nestjs/event-emitter` (`@OnEvent(AUTH_EVENTS.tokenIssued)`, or `@OnEvent('authnest.**')` with
 * `wildcard: true`), or turn on the audit table (`audit: { store: true }`).
 */

/** Fields every event carries. */
export interface AuthEventBase {
  /** When it happened, epoch milliseconds. */
  readonly at: number;
  /** The id of the HTTP request that caused it (`X-Request-Id`); absent outside a request (CLI, timers). */
  readonly requestId?: string;
}

/** Where an administrative change came from. */
export type AdminSource = 'admin-service' | 'cli' | 'registration-endpoint' | 'seed' | 'schedule';

/** An access token (and maybe a refresh token and ID token) went out of the token endpoint. */
export interface TokenIssuedEvent extends AuthEventBase {
  readonly clientId: string;
  /** The resource owner; absent for client_credentials. */
  readonly subject?: string;
  /** `authorization_code`, `client_credentials`, `refresh_token`, device code, JWT bearer, token exchange... */
  readonly grantType: string;
  /** Space-separated granted scope. */
  readonly scope: string;
  /** The access token's id (`jti`); never the token. */
  readonly tokenId: string;
  readonly format: 'jwt' | 'opaque';
  /** Epoch seconds. */
  readonly expiresAt: number;
  readonly refreshTokenIssued: boolean;
  readonly idTokenIssued: boolean;
  /** The token is DPoP-bound (RFC 9449). */
  readonly senderConstrained: boolean;
}

/** A refresh token was redeemed for a new token set. */
export interface TokenRefreshedEvent extends AuthEventBase {
  readonly clientId: string;
  readonly subject?: string;
  readonly scope: string;
  /** The new access token's id. */
  readonly tokenId: string;
  /** The refresh token was rotated (a new one issued, the old one consumed). */
  readonly rotated: boolean;
}

/** A token stopped being valid before its expiry. */
export interface TokenRevokedEvent extends AuthEventBase {
  readonly clientId: string;
  readonly subject?: string;
  readonly tokenType: 'access_token' | 'refresh_token';
  /** Access token id (`jti`) when known. */
  readonly tokenId?: string;
  /**
   * Why: the client asked (RFC 7009), the user logged out, a rotated refresh token came back (its family goes), an
   * authorization code was redeemed twice (what it gave goes, RFC 6749 section 4.1.2), the account is no longer
   * active, an administrator, or the client's registration was deleted (RFC 7592).
   */
  readonly reason: 'revocation-endpoint' | 'logout' | 'refresh-reuse' | 'code-replay' | 'account-inactive' | 'admin' | 'registration-deleted';
}

/** A refresh token was presented again after rotation: the whole grant was revoked (RFC 9700 4.14). */
export interface RefreshReuseDetectedEvent extends AuthEventBase {
  readonly clientId: string;
  readonly subject?: string;
}

/** A client failed to authenticate at a protocol endpoint. */
export interface ClientAuthenticationFailedEvent extends AuthEventBase {
  /** The client id the caller claimed, when it gave one. */
  readonly clientId?: string;
  /**
   * The method tried: `client_secret_basic`, `client_secret_post`, `client_secret_jwt`, `private_key_jwt`, `none`, or
   * `registration_access_token` at the client configuration endpoint (RFC 7592).
   */
  readonly method: string;
  /** The endpoint path. */
  readonly endpoint: string;
  /**
   * A short reason for operators, never the secret: `missing_credentials`, `malformed_credentials`, `unknown_client`,
   * `disabled`, `bad_secret`, `bad_assertion`, `method_not_allowed` (a method the client is not registered for, or a
   * public client where authentication is required), `invalid_token` / `expired_token` / `wrong_client` (a
   * registration access token, RFC 7592).
   */
  readonly reason: string;
}

/** A user signed in on the login page. */
export interface LoginSucceededEvent extends AuthEventBase {
  readonly subject: string;
  /** The client the sign-in was for, when known. */
  readonly clientId?: string;
}

/** A sign-in was refused. */
export interface LoginFailedEvent extends AuthEventBase {
  /** The user name typed (not a secret; omitted when empty). Never the password. */
  readonly username?: string;
  readonly clientId?: string;
  readonly reason: 'invalid_credentials' | 'rate_limited' | 'account_disabled';
}

/** A user granted a client some scopes (on the consent page, or by a remembered consent). */
export interface ConsentGrantedEvent extends AuthEventBase {
  readonly subject: string;
  readonly clientId: string;
  readonly scope: string;
  /** The consent was remembered from an earlier grant, no page shown. */
  readonly remembered: boolean;
}

/** A user denied a client on the consent page. */
export interface ConsentDeniedEvent extends AuthEventBase {
  /** Absent when a host's custom page recorded the denial before anyone logged in. */
  readonly subject?: string;
  readonly clientId: string;
  readonly scope: string;
}

/** A client was created (registration endpoint, admin service, CLI). */
export interface ClientRegisteredEvent extends AuthEventBase {
  readonly clientId: string;
  readonly source: AdminSource;
}

/** A client was changed, disabled or re-enabled, or got a new secret. */
export interface ClientUpdatedEvent extends AuthEventBase {
  readonly clientId: string;
  readonly source: AdminSource;
  readonly change: 'updated' | 'disabled' | 'enabled' | 'secret-rotated' | 'deleted';
}

/** A new signing key was published (and will sign once active). */
export interface KeyRotatedEvent extends AuthEventBase {
  readonly kid: string;
  readonly alg: string;
  readonly source: AdminSource;
}

/** A signing key was retired (no longer signs; removed from JWKS once its tokens expire) or revoked at once. */
export interface KeyRetiredEvent extends AuthEventBase {
  readonly kid: string;
  readonly source: AdminSource;
  readonly immediate: boolean;
}

/** All grants of a user or of a client were revoked by an administrator. */
export interface GrantsRevokedEvent extends AuthEventBase {
  readonly subject?: string;
  readonly clientId?: string;
  readonly source: AdminSource;
  /** Tokens revoked (access and refresh). */
  readonly count: number;
}

/** Event names, as emitted. */
export const AUTH_EVENTS = {
  tokenIssued: 'authnest.token.issued',
  tokenRefreshed: 'authnest.token.refreshed',
  tokenRevoked: 'authnest.token.revoked',
  refreshReuseDetected: 'authnest.token.refresh_reuse_detected',
  clientAuthenticationFailed: 'authnest.client.authentication_failed',
  loginSucceeded: 'authnest.login.succeeded',
  loginFailed: 'authnest.login.failed',
  consentGranted: 'authnest.consent.granted',
  consentDenied: 'authnest.consent.denied',
  clientRegistered: 'authnest.client.registered',
  clientUpdated: 'authnest.client.updated',
  keyRotated: 'authnest.key.rotated',
  keyRetired: 'authnest.key.retired',
  grantsRevoked: 'authnest.grants.revoked',
} as const;

/** Each event name with its payload type. */
export interface AuthEventMap {
  'authnest.token.issued': TokenIssuedEvent;
  'authnest.token.refreshed': TokenRefreshedEvent;
  'authnest.token.revoked': TokenRevokedEvent;
  'authnest.token.refresh_reuse_detected': RefreshReuseDetectedEvent;
  'authnest.client.authentication_failed': ClientAuthenticationFailedEvent;
  'authnest.login.succeeded': LoginSucceededEvent;
  'authnest.login.failed': LoginFailedEvent;
  'authnest.consent.granted': ConsentGrantedEvent;
  'authnest.consent.denied': ConsentDeniedEvent;
  'authnest.client.registered': ClientRegisteredEvent;
  'authnest.client.updated': ClientUpdatedEvent;
  'authnest.key.rotated': KeyRotatedEvent;
  'authnest.key.retired': KeyRetiredEvent;
  'authnest.grants.revoked': GrantsRevokedEvent;
}

/** Any event name. */
export type AuthEventName = keyof AuthEventMap;

/** What an emitter passes: the payload without the fields authnest fills in (`at`, `requestId`). */
export type AuthEventInput<K extends AuthEventName> = Omit<AuthEventMap[K], keyof AuthEventBase>;
