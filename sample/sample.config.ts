import type { ClientSeed } from 'authnest';

/** Port and issuer of the sample (PORT, ISSUER). */
export const PORT = Number(process.env.PORT ?? 3000);
export const ISSUER = process.env.ISSUER ?? `http://localhost:${PORT}`;

/** Every scope the sample's server knows. */
export const SAMPLE_SCOPES = ['openid', 'profile', 'email', 'posts:read', 'posts:write', 'api', 'restricted', 'offline_access'];

/** DEMO ONLY: a confidential client with a well-known secret. Never seed this in production. */
export const DEMO_CLIENT: ClientSeed = {
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  name: 'Demo client',
  authMethods: ['client_secret_basic', 'client_secret_post'],
  grantTypes: ['client_credentials'],
  scopes: SAMPLE_SCOPES,
  redirectUris: ['http://127.0.0.1:8080/callback', 'http://localhost:8080/callback'],
};
