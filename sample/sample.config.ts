import { DEVICE_CODE_GRANT_TYPE, type ClientSeed } from 'authnest';

/** Port and issuer of the sample (PORT, ISSUER). */
export const PORT = Number(process.env.PORT ?? 3000);
export const ISSUER = process.env.ISSUER ?? `http://localhost:${PORT}`;

/** Every scope the sample's server knows. */
export const SAMPLE_SCOPES = ['openid', 'profile', 'email', 'posts:read', 'posts:write', 'api', 'restricted', 'offline_access'];

/** Where `npm run sample:client` runs (SAMPLE_CLIENT_URL): its callback and post-logout page are registered for demo-client. */
export const SAMPLE_CLIENT_URL = process.env.SAMPLE_CLIENT_URL ?? 'http://localhost:8080';

const DEMO_REDIRECTS = [...new Set(['http://127.0.0.1:8080/callback', 'http://localhost:8080/callback', `${SAMPLE_CLIENT_URL}/callback`])];

/**
 * DEMO ONLY: a confidential client with a well-known secret. Never seed this in production. Its access tokens
 * are opaque, so the separate API (`npm run sample:api`) checks them by introspection.
 */
export const DEMO_CLIENT: ClientSeed = {
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  name: 'Demo client',
  authMethods: ['client_secret_basic', 'client_secret_post'],
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
  scopes: SAMPLE_SCOPES,
  redirectUris: DEMO_REDIRECTS,
  postLogoutRedirectUris: [...new Set(['http://127.0.0.1:8080/logged-out', 'http://localhost:8080/logged-out', `${SAMPLE_CLIENT_URL}/logged-out`])],
  accessTokenFormat: 'opaque',
};

/** DEMO ONLY: a public single-page-app client: no secret, PKCE, JWT access tokens. */
export const DEMO_SPA: ClientSeed = {
  clientId: 'demo-spa',
  name: 'Demo single-page app',
  authMethods: ['none'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: SAMPLE_SCOPES,
  redirectUris: ['http://127.0.0.1:8080/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1:8080/logged-out'],
};

/**
 * DEMO ONLY: a public device client (a TV app, a command-line tool) without a browser of its own: it asks for a code at
 * /oauth/device_authorization, the user enters it at /oauth/device, and it polls /oauth/token (RFC 8628).
 */
export const DEMO_DEVICE: ClientSeed = {
  clientId: 'demo-device',
  name: 'Demo device',
  authMethods: ['none'],
  grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
  scopes: SAMPLE_SCOPES,
};

/** DEMO ONLY: the separate API's own client, allowed to introspect tokens. */
export const DEMO_API: ClientSeed = {
  clientId: 'demo-api',
  clientSecret: 'demo-api-secret',
  name: 'Demo API (introspection)',
  grantTypes: [],
  allowIntrospection: true,
};
