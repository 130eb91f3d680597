import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { SessionStore } from '../../persistence/stores/session.store.js';
import type { Authentication } from '../accounts/authentication.js';
import { isSecureIssuer, sessionCookieName } from './browser-cookies.js';
import { CookieSigner } from './cookie-signer.service.js';
import type { BrowserRequest } from './http/browser-request.js';
import { cookieValues } from './http/cookie-header.js';
import type { PageCookie } from './http/page-response.js';

/** A valid login session found through the request's session cookie. */
export interface ActiveSession extends Authentication {
  tokenHash: string;
  /** Its public id (null only for sessions started before authnest had session ids). */
  sid: string | null;
  /** When it ends (ms). */
  expiresAt: number;
}

/** A session just started and the cookie that carries it. */
export interface StartedSession {
  session: ActiveSession;
  cookie: PageCookie;
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
      if (session && session.expiresAt > this.clock.now()) {
        const { accountId, authTime, sid, acr, amr, expiresAt } = session;
        return { accountId, authTime, tokenHash, sid, acr, amr, expiresAt };
      }
    }
    return undefined;
  }

  /** Starts a session for a login (ending `previous`): a new cookie token and a new public `sid`. */
  async start(login: Omit<Authentication, 'sid'>, previous?: ActiveSession): Promise<StartedSession> {
    if (previous) await this.store.delete(previous.tokenHash);
    const token = randomToken(32);
    const ttl = this.options.interaction.sessionTtl;
    const session: ActiveSession = {
      accountId: login.accountId,
      authTime: login.authTime,
      acr: login.acr ?? null,
      amr: [...(login.amr ?? [])],
      sid: randomToken(16),
      tokenHash: sha256Hex(token),
      expiresAt: this.clock.now() + ttl * 1000,
    };
    const { tokenHash, accountId, authTime, sid, expiresAt } = session;
    await this.store.insert({ tokenHash, accountId, authTime, sid, acr: session.acr ?? null, amr: [...(session.amr ?? [])], expiresAt });
    return { session, cookie: this.cookie(this.signer.sign('session', token), ttl) };
  }

  /** Ends a session (logout) and resolves the cookie that clears it in the browser. */
  async end(session: ActiveSession): Promise<PageCookie> {
    await this.store.delete(session.tokenHash);
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAge: number): PageCookie {
    return {
      name: sessionCookieName(this.options.issuer),
      value,
      options: { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecureIssuer(this.options.issuer), maxAge },
    };
  }
}
