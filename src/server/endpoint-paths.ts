/**
 * Where the authorization server's endpoints are mounted in the host app. Public URLs are the issuer
 * followed by these paths (see `endpointUrl`).
 */
export const ENDPOINT_PATHS = {
  token: '/oauth/token',
  jwks: '/oauth/jwks',
  metadata: '/.well-known/oauth-authorization-server',
} as const;

/** Paths whose errors are always answered in the RFC 6749 section 5.2 shape, even before routing. */
export const PROTOCOL_PATHS: ReadonlySet<string> = new Set<string>([ENDPOINT_PATHS.token]);

/** The public URL of an endpoint: issuer (no trailing slash) + path. */
export function endpointUrl(issuer: string, path: string): string {
  return `${issuer.replace(/\/+$/, '')}${path}`;
}
