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
  /** RFC 8628: the device authorization endpoint, and the verification page where the user enters the code. */
  deviceAuthorization: '/oauth/device_authorization',
  device: '/oauth/device',
  /** RFC 7591 client registration endpoint, and RFC 7592 client configuration endpoint of one registered client. */
  registration: '/oauth/register',
  registrationClient: '/oauth/register/:clientId',
  /** RFC 9126 pushed authorization request endpoint. */
  pushedAuthorization: '/oauth/par',
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
  ENDPOINT_PATHS.deviceAuthorization,
  ENDPOINT_PATHS.pushedAuthorization,
]);

/**
 * Whether errors on `path` are answered in the RFC 6749 section 5.2 shape: `PROTOCOL_PATHS`, and the registration
 * endpoints (RFC 7591 section 3.2.2), whose client configuration URLs carry a client id.
 */
export function isProtocolPath(path: string): boolean {
  return PROTOCOL_PATHS.has(path) || path === ENDPOINT_PATHS.registration || path.startsWith(`${ENDPOINT_PATHS.registration}/`);
}

/** The public URL of an endpoint: issuer (no trailing slash) + path. */
export function endpointUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}${path}`;
}
