/**
 * Where the authorization server's endpoints are mounted in the host app. Public URLs are the issuer
 * followed by these paths (see `endpointUrl`).
 */
export const ENDPOINT_PATHS = {
  token: '/oauth/token',
  jwks: '/oauth/jwks',
  metadata: '/.well-known/oauth-authorization-server',
  authorize: '/oauth/authorize',
  /** The builtin login/consent page of one interaction; `/login` and `/consent` below it take the forms. */
  interaction: '/oauth/interaction/:id',
  interactionLogin: '/oauth/interaction/:id/login',
  interactionConsent: '/oauth/interaction/:id/consent',
  revocation: '/oauth/revoke',
  introspection: '/oauth/introspect',
  /** OpenID Connect. */
  openidConfiguration: '/.well-known/openid-configuration',
  userinfo: '/oauth/userinfo',
  /** RP-initiated logout (end_session_endpoint); `/confirm` below it takes the confirmation form. */
  endSession: '/oauth/logout',
  endSessionConfirm: '/oauth/logout/confirm',
} as const;

/** The path of an interaction route for one interaction id (ids are base64url: no escaping needed). */
export function interactionPath(id: string, route: 'interaction' | 'interactionLogin' | 'interactionConsent' = 'interaction'): string {
  return ENDPOINT_PATHS[route].replace(':id', encodeURIComponent(id));
}

/** Paths whose errors are always answered in the RFC 6749 section 5.2 shape, even before routing. */
export const PROTOCOL_PATHS: ReadonlySet<string> = new Set<string>([
  ENDPOINT_PATHS.token,
  ENDPOINT_PATHS.revocation,
  ENDPOINT_PATHS.introspection,
  ENDPOINT_PATHS.userinfo,
]);

/** The public URL of an endpoint: issuer (no trailing slash) + path. */
export function endpointUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}${path}`;
}
