import { Injectable } from '@nestjs/common';
import { Clock } from '../internal/clock.js';
import type { AccessTokenFormat } from '../options/auth-options.interface.js';
import type { TokenResponse } from '../server/rfc6749/grants/grant-handler.js';
import { accessTokenIdOf } from '../tokens/access-token-id.js';
import { AUTH_EVENTS } from './auth-event-map.js';
import { AuthEvents } from './auth-events.service.js';

/** What `TokenService` knew about an access token it minted, kept until the token endpoint reports the response. */
export interface IssuedTokenNote {
  subject: string;
  scope: string;
  format: AccessTokenFormat;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Notes kept at most (tokens minted by a grant that then failed are never reported; the oldest notes go first). */
const MAX_NOTES = 1024;

/**
 * `authnest.token.issued` and `authnest.token.refreshed`, reported once per successful token response by the token
 * endpoint (controller and fast path alike), whatever grant produced it (custom grants too). The grant's response
 * carries the token, not who it is for: `TokenService` leaves a note by token id (`jti`) while someone listens, and the
 * report takes it. Nothing is noted or built when nobody listens.
 */
@Injectable()
export class TokenIssuanceEvents {
  private readonly notes = new Map<string, IssuedTokenNote>();

  constructor(
    private readonly events: AuthEvents,
    private readonly clock: Clock,
  ) {}

  /** Whether issuance is reported at all (asked by `TokenService` before it notes anything). */
  get active(): boolean {
    return this.events.wants(AUTH_EVENTS.tokenIssued) || this.events.wants(AUTH_EVENTS.tokenRefreshed);
  }

  /** Called by `TokenService` for every access token it minted while `active`. */
  note(jti: string, note: IssuedTokenNote): void {
    if (this.notes.size >= MAX_NOTES) this.notes.delete(this.notes.keys().next().value!);
    this.notes.set(jti, note);
  }

  /** Reports a successful token response of `grantType` to `clientId`; never throws (a custom grant's odd response included). */
  report(clientId: string, grantType: string, response: TokenResponse): void {
    try {
      this.emitFor(clientId, grantType, response);
    } catch {
      // an event is not worth failing the token response for
    }
  }

  private emitFor(clientId: string, grantType: string, response: TokenResponse): void {
    const issued = this.events.wants(AUTH_EVENTS.tokenIssued);
    const refreshed = grantType === 'refresh_token' && this.events.wants(AUTH_EVENTS.tokenRefreshed);
    if (!issued && !refreshed) return;
    const tokenId = accessTokenIdOf(response.access_token) ?? '';
    const note = this.notes.get(tokenId);
    this.notes.delete(tokenId);
    // A client's own token (client_credentials) has no resource owner: its `sub` is the client id.
    const owner = note?.subject ?? jwtSubject(response.access_token);
    const subject = grantType === 'client_credentials' || owner === undefined ? undefined : owner;
    const scope = note?.scope ?? response.scope ?? '';
    if (issued) {
      this.events.emit(AUTH_EVENTS.tokenIssued, {
        clientId,
        ...(subject === undefined ? {} : { subject }),
        grantType,
        scope,
        tokenId,
        format: note?.format ?? (response.access_token.includes('.') ? 'jwt' : 'opaque'),
        expiresAt: note?.expiresAt ?? this.clock.nowSeconds() + response.expires_in,
        refreshTokenIssued: response.refresh_token !== undefined,
        idTokenIssued: response.id_token !== undefined,
        senderConstrained: response.token_type === 'DPoP',
      });
    }
    if (refreshed) {
      this.events.emit(AUTH_EVENTS.tokenRefreshed, {
        clientId,
        ...(subject === undefined ? {} : { subject }),
        scope,
        tokenId,
        rotated: response.refresh_token !== undefined,
      });
    }
  }
}

/** The `sub` of a JWT access token minted while nobody listened yet (read, not verified: we just signed it). */
function jwtSubject(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const sub = (JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}
