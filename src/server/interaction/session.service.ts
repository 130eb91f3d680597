import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { SessionStore } from '../../persistence/stores/session.store.js';
import { isSecureIssuer, sessionCookieName } from './browser-cookies.js';
import { CookieSigner } from './cookie-signer.service.js';
import type { BrowserRequest } from './http/browser-request.js';
import { cookieValues } from './http/cookie-header.js';
import type { PageCookie } from './http/page-response.js';

/** A valid login session found through the request's session cookie. */
export interface ActiveSession {
  accountId: string;
  /** When the user authenticated (ms). */
  authTime: number;
  tokenHash: string;
}

/**
 * Browser login sessions. The cookie carries a random 256-bit token and its HMAC (`token.mac`); the database
 * keeps only SHA-256 of the token, so a database reader cannot forge a cookie and a forged cookie costs no query.
 * Sessions live `interaction.sessionTtl` seconds; every login starts a new one (no fixation).
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: SessionStore,
    private readonly signer: CookieSigner,
    private readonly clock: Clock,
  ) {}

  /** The session of the request's cookie when it is signed, stored and unexpired; else undefined. */
  async current(request: BrowserRequest): Promise<ActiveSession | undefined> {
    for (const candidate of cookieValues(request, sessionCookieName(this.options.issuer))) {
      const token = this.signer.verify('session', candidate);
      if (!token) continue;
      const tokenHash = sha256Hex(token);
      const session = await this.store.findByHash(tokenHash);
      if (session && session.expiresAt > this.clock.now()) return { accountId: session.accountId, authTime: session.authTime, tokenHash };
    }
    return undefined;
  }

  /** Starts a session for the account (ending `previous`) and resolves the cookie to set. */
  async start(accountId: string, authTime: number, previous?: ActiveSession): Promise<PageCookie> {
    if (previous) await this.store.delete(previous.tokenHash);
    const token = randomToken(32);
    const ttl = this.options.interaction.sessionTtl;
    await this.store.insert({ tokenHash: sha256Hex(token), accountId, authTime, expiresAt: this.clock.now() + ttl * 1000 });
    return {
      name: sessionCookieName(this.options.issuer),
      value: this.signer.sign('session', token),
      options: { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecureIssuer(this.options.issuer), maxAge: ttl },
    };
  }
}
