import type { ClientEntity } from '../../../persistence/entities/client.entity.js';
import type { IdTokenHint } from '../id-token-hint.service.js';

/** Where the browser goes after logout: a registered `post_logout_redirect_uri` and the `state` to echo. */
export interface PostLogoutRedirect {
  uri: string;
  state?: string;
}

/** A validated end-session request (OpenID Connect RP-Initiated Logout 1.0 section 2). */
export interface EndSessionRequest {
  client?: ClientEntity;
  hint?: IdTokenHint;
  redirect?: PostLogoutRedirect;
}

/** What a logout confirmation form carries, signed (`CookieSigner`, purpose `logout`). */
export interface LogoutTicket {
  /** Binds the ticket to the session it was shown for (a hash of the session's hash). */
  session: string;
  clientId?: string;
  redirect?: PostLogoutRedirect;
  /** ms since the epoch. */
  expiresAt: number;
}

export function encodeTicket(ticket: LogoutTicket): string {
  return Buffer.from(JSON.stringify(ticket), 'utf8').toString('base64url');
}

/** The ticket of a verified signed value, or undefined when it does not parse. */
export function decodeTicket(value: string): LogoutTicket | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<LogoutTicket>;
    if (typeof parsed.session !== 'string' || typeof parsed.expiresAt !== 'number') return undefined;
    return parsed as LogoutTicket;
  } catch {
    return undefined;
  }
}
