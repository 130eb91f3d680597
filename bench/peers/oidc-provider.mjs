// node-oidc-provider configured for the benchmark's workload, as its documentation sets it up for production-like use
// minus persistence (its in-memory adapter). MODE=opaque (default) | jwt-es256 | jwt-rs256, PORT. Prints READY.
// Client `bench`, client_secret_basic, client_credentials, scope api:read; introspection and revocation on.
import http from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const mode = process.env.MODE ?? 'opaque';
const port = Number(process.env.PORT ?? 3200);
const resource = 'urn:authnest:bench';

async function signingKey(alg) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `bench-${alg.toLowerCase()}` };
}

const features = {
  devInteractions: { enabled: false },
  clientCredentials: { enabled: true },
  introspection: { enabled: true },
  revocation: { enabled: true },
};
if (mode !== 'opaque') {
  // oidc-provider issues JWT access tokens only for a resource server (resource indicators), the default one here.
  const alg = mode === 'jwt-rs256' ? 'RS256' : 'ES256';
  features.resourceIndicators = {
    enabled: true,
    defaultResource: () => resource,
    useGrantedResource: () => true,
    getResourceServerInfo: (ctx, indicator) => {
      if (indicator !== resource) throw new Error('unknown resource');
      return { scope: 'api:read', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg } } };
    },
  };
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'bench',
      client_secret: 'bench-secret-0123456789abcdef',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'api:read',
    },
  ],
  scopes: ['api:read'],
  jwks: { keys: [await signingKey('ES256'), await signingKey('RS256')] },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  features,
});

http.createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log(`READY node-oidc-provider ${mode} ${port}`));
