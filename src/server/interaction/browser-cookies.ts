import { interactionPath } from '../endpoint-paths.js';

/** Whether the issuer is https: then cookies are `Secure` and carry the `__Host-`/`__Secure-` prefixes. */
export function isSecureIssuer(issuer: string): boolean {
  return issuer.startsWith('https:');
}

/** The issuer's origin (scheme, host, port): what `Origin` headers of our own forms carry. */
export function issuerOrigin(issuer: string): string {
  return new URL(issuer).origin;
}

/**
 * The path a browser sees for one of our routes: the issuer's path (a reverse proxy may mount authnest
 * under `/auth`) followed by the route. Used for form actions and cookie paths.
 */
export function publicPath(issuer: string, path: string): string {
  return `${new URL(issuer).pathname.replace(/\/+$/, '')}${path}`;
}

/** `__Host-authnest_session` on https (Secure, Path=/, no Domain), `authnest_session` on http. */
export function sessionCookieName(issuer: string): string {
  return isSecureIssuer(issuer) ? '__Host-authnest_session' : 'authnest_session';
}

/**
 * The interaction binding cookie. Builtin pages scope it to the interaction's own path, so several sign-ins in
 * different tabs do not overwrite each other's cookie; `__Host-` needs `Path=/`, hence `__Secure-` on https.
 */
export function interactionCookieName(issuer: string): string {
  return isSecureIssuer(issuer) ? '__Secure-authnest_interaction' : 'authnest_interaction';
}

/** Where the binding cookie of an interaction is sent: its pages (builtin) or the whole site (custom). */
export function interactionCookiePath(issuer: string, id: string, mode: 'builtin' | 'custom'): string {
  return mode === 'builtin' ? publicPath(issuer, interactionPath(id)) : '/';
}
