import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { AUTH_OPTIONS } from '../../../auth.tokens.js';
import { Clock } from '../../../internal/clock.js';
import { UpstreamError } from '../../../internal/outbound-http.js';
import { postPublicForm } from '../../../internal/public-fetch.js';
import { randomToken } from '../../../internal/random.js';
import { LOGOUT_TOKEN_TTL } from '../../../options/resolve-signing-options.js';
import type { ResolvedAuthOptions } from '../../../options/resolved-options.js';
import type { ClientEntity } from '../../../persistence/entities/client.entity.js';
import { KeyStoreService } from '../../../tokens/key-store.service.js';
import { SubjectIdentifiers } from '../subject-identifier.service.js';
import { AuthLogger } from '../../../internal/auth-logger.js';

/** The event of a logout token (OpenID Connect Back-Channel Logout 1.0 section 2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Which session ended, for whom. */
export interface EndedSession {
  accountId: string;
  sid: string | null;
}

/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0): for each client of an ended session that registered a
 * `backchannelLogoutUri`, a logout token (`typ: logout+jwt`, `iss`, `aud`, `iat`, `exp`, `jti`, `events`, `sub` as
 * the client knows it, and `sid`) is POSTed as `logout_token` (section 2.5). Redirects are not followed, each request
 * is bounded by `oidc.backchannelLogoutTimeoutMs`, all run in parallel, and a failure is logged with the client id
 * only: the logout itself never fails because a client did not answer.
 */
@Injectable()
export class BackchannelLogout {
  private readonly logger = new AuthLogger();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly keys: KeyStoreService,
    private readonly subjects: SubjectIdentifiers,
    private readonly clock: Clock,
  ) {}

  /** Notifies every client that asked for it; resolves the ids of those that confirmed (HTTP 200 or 204). */
  async notify(session: EndedSession, clients: readonly ClientEntity[]): Promise<string[]> {
    const targets = clients.filter((client): client is ClientEntity & { backchannelLogoutUri: string } => !!client.backchannelLogoutUri);
    const results = await Promise.all(targets.map(async (client) => ((await this.send(session, client)) ? client.clientId : undefined)));
    return results.filter((id): id is string => id !== undefined);
  }

  /** The logout token for one client. */
  async logoutToken(session: EndedSession, client: ClientEntity): Promise<string> {
    const key = await this.keys.currentSigningKey();
    const iat = this.clock.nowSeconds();
    const claims: Record<string, unknown> = { events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } };
    if (session.sid) claims.sid = session.sid;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'logout+jwt' })
      .setIssuer(this.options.issuer)
      .setSubject(this.subjects.subjectFor(session.accountId, client))
      .setAudience(client.clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + LOGOUT_TOKEN_TTL)
      .setJti(randomToken(16))
      .sign(key.privateKey);
  }

  private async send(session: EndedSession, client: ClientEntity & { backchannelLogoutUri: string }): Promise<boolean> {
    const timeoutMs = this.options.oidc.backchannelLogoutTimeoutMs;
    try {
      const body = new URLSearchParams({ logout_token: await this.logoutToken(session, client) }).toString();
      const status = await this.post(client, body, timeoutMs);
      if (status === 200 || status === 204) return true;
      this.logger.warn(`Back-channel logout of client ${client.clientId} answered HTTP ${status}`);
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.message.startsWith('did not answer'));
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : error instanceof UpstreamError ? error.reason : 'could not be reached';
      this.logger.warn(`Back-channel logout of client ${client.clientId}: ${reason}`);
    }
    return false;
  }

  /**
   * POSTs the form without following redirects. The URI of a dynamically registered client is anyone's: its address is
   * checked when connecting (a public name may resolve to a private address), unless private URIs are allowed
   * (`clientAssertions.allowPrivateJwksUri`). URIs the operator configured are trusted.
   */
  private async post(client: ClientEntity & { backchannelLogoutUri: string }, body: string, timeoutMs: number): Promise<number> {
    if (client.registeredAt !== null) {
      return postPublicForm(client.backchannelLogoutUri, body, { timeoutMs, allowPrivate: this.options.clientAssertions.allowPrivateJwksUri });
    }
    const response = await fetch(client.backchannelLogoutUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  }
}
