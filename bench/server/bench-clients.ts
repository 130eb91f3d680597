import type { ClientSeed } from 'authnest';

/** Every scope the benchmark server knows. */
export const BENCH_SCOPES = ['openid', 'offline_access', 'api:read'];

/** The secret of every benchmark client; the peers' `bench` client has the same one. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef';

/** Where the code flow sends the browser back; nothing listens there, the load generator reads the Location. */
export const BENCH_REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** BENCH ONLY. client_credentials with opaque tokens, and introspection (like the peers' `bench` client). */
export const BENCH_OPAQUE_CLIENT: ClientSeed = {
  clientId: 'bench',
  clientSecret: BENCH_SECRET,
  name: 'Benchmark (opaque)',
  authMethods: ['client_secret_basic'],
  grantTypes: ['client_credentials'],
  scopes: ['api:read'],
  accessTokenFormat: 'opaque',
  allowIntrospection: true,
};

/** BENCH ONLY. client_credentials with RFC 9068 JWTs, signed with the server's `signing.algorithm`. */
export const BENCH_JWT_CLIENT: ClientSeed = {
  clientId: 'bench-jwt',
  clientSecret: BENCH_SECRET,
  name: 'Benchmark (JWT)',
  authMethods: ['client_secret_basic'],
  grantTypes: ['client_credentials'],
  scopes: ['api:read'],
  accessTokenFormat: 'jwt',
};

/** BENCH ONLY. A first-party web app (no consent page): authorization code + PKCE, refresh tokens, opaque tokens. */
export const BENCH_WEB_CLIENT: ClientSeed = {
  clientId: 'bench-web',
  clientSecret: BENCH_SECRET,
  name: 'Benchmark web app',
  authMethods: ['client_secret_basic'],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: BENCH_SCOPES,
  redirectUris: [BENCH_REDIRECT_URI],
  accessTokenFormat: 'opaque',
  firstParty: true,
};
