import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigError, OAuthClientModule, OAuthClients, type OAuthClientModuleOptions, type PrivateJwk } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import { bootClientApp } from './support/client-app.js';

/**
 * A token endpoint that accepts only `private_key_jwt` (RFC 7523 section 2.2, 3): it verifies the client assertion
 * with the client's registered public key and refuses a reused `jti`, then issues a token. It stands for a provider
 * (authnest itself gets private_key_jwt with issue 7; node-oidc-provider interop covers a real one).
 */
async function startAssertionVerifier(publicKey: CryptoKey): Promise<{ server: Server; url: string; seen: Record<string, unknown>[] }> {
  const seen: Record<string, unknown>[] = [];
  const jtis = new Set<string>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
      const refuse = (error: string) => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('invalid_client');
      jwtVerify(form.get('client_assertion') ?? '', publicKey, { issuer: 'svc-jwt', subject: 'svc-jwt', audience: url, maxTokenAge: 120 })
        .then(({ payload, protectedHeader }) => {
          seen.push({ ...payload, header: protectedHeader, client_id: form.get('client_id'), authorization: req.headers.authorization ?? null });
          if (typeof payload.jti !== 'string' || jtis.has(payload.jti)) return refuse('invalid_client');
          jtis.add(payload.jti);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `t-${jtis.size}`, token_type: 'Bearer', expires_in: 300 }));
        })
        .catch(() => refuse('invalid_client'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, seen };
}

describe.each(testMatrix().filter(([, db]) => db === 'sqlite'))('OAuth client: private_key_jwt on %s', (platform) => {
  let verifier: Awaited<ReturnType<typeof startAssertionVerifier>>;
  let privateJwk: PrivateJwk;
  let clients: OAuthClients;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: 'svc-key-1' } as PrivateJwk;
    verifier = await startAssertionVerifier(publicKey);
    const app = await bootClientApp(
      platform,
      OAuthClientModule.forRoot({ providers: { jwt: { endpoints: { token: verifier.url }, clientId: 'svc-jwt', privateKey: privateJwk } } }),
    );
    clients = app.get(OAuthClients);
    close = () => app.close();
  });
  afterAll(async () => {
    await close?.();
    await new Promise((resolve) => verifier?.server.close(resolve));
  });

  it('signs a fresh assertion for each token request: iss/sub client id, aud the token endpoint, kid, one-minute exp', async () => {
    const client = clients.get('jwt');
    expect(client.provider.authMethod).toBe('private_key_jwt');
    const first = await client.clientCredentials({ scopes: ['a'] });
    const second = await client.clientCredentials({ scopes: ['b'] });
    expect([first.accessToken, second.accessToken]).toEqual(['t-1', 't-2']);
    const [a, b] = verifier.seen;
    expect(a).toMatchObject({ iss: 'svc-jwt', sub: 'svc-jwt', aud: verifier.url, client_id: 'svc-jwt', authorization: null, header: { alg: 'ES256', kid: 'svc-key-1', typ: 'JWT' } });
    expect(Number(a!.exp) - Number(a!.iat)).toBe(60);
    expect(a!.jti).not.toBe(b!.jti);
  });

  it('refuses a key without its private part, and none with a key, at boot', async () => {
    const { d: _d, ...publicOnly } = privateJwk;
    for (const [provider, problem] of [
      [{ endpoints: { token: verifier.url }, clientId: 'c', authMethod: 'private_key_jwt', privateKey: publicOnly }, 'providers.p.privateKey: a private JWK (kty RSA, EC or OKP, with d) is required for private_key_jwt'],
      [{ endpoints: { token: verifier.url }, clientId: 'c', authMethod: 'none', privateKey: privateJwk }, "providers.p.authMethod: a client with a secret or key must not use 'none'"],
    ] as const) {
      const error = await bootClientApp(platform, OAuthClientModule.forRoot({ providers: { p: provider } } as unknown as OAuthClientModuleOptions)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthConfigError);
      expect((error as AuthConfigError).problems).toEqual([problem]);
    }
  });
});
