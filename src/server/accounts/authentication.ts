/** Who logged in, when and how: what a code, its ID token and its refresh tokens carry forward. */
export interface Authentication {
  accountId: string;
  /** When the user authenticated (ms since the epoch). */
  authTime: number;
  /** The public id of the login session the authentication started or came from (`sid`). */
  sid?: string | null;
  /** Authentication context class reference (OpenID Connect Core section 2), when known. */
  acr?: string | null;
  /** Authentication methods references (RFC 8176), when known. */
  amr?: readonly string[];
}
