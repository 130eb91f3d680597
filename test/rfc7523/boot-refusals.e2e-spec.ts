import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuthModuleOptions, type ClientSeed } from '../../src/index.js';
import { testMatrix, type Database, type Platform } from '../support/matrix.js';
import { bootProblems } from '../support/boot-problems.js';
import { bootTestApp } from '../support/test-app.js';
import { jwksOf, testKeyPair, type TestKeyPair } from './support/assertions.js';

const bootWith = (platform: Platform, db: Database, options: Partial<AuthModuleOptions>) => bootProblems(platform, db, ['read'], options);

/**
 * Key material that cannot be right stops the boot with an AuthConfigError naming the option path (the house rule:
 * a typo must stop the boot, not silently disable a check): private or symmetric keys in `jwks`, both `jwks` and
 * `jwksUri`, `private_key_jwt` without keys, keys for a secret method, an algorithm that does not suit the method,
 * a `jwksUri` that is not https, and out-of-range `clientAssertions`.
 */
describe.each(testMatrix())('client assertion options refused at boot on %s/%s', (platform, db) => {
  let pair: TestKeyPair;
  let privateJwk: JWK;

  beforeAll(async () => {
    pair = await testKeyPair('ES256');
    privateJwk = { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)), kid: 'k1' };
  });

  const SECRET = 'boot-refusal-secret-000001';
  const cases: [name: string, seed: () => Partial<ClientSeed>, problem: string][] = [
    ['a private key in jwks', () => ({ jwks: { keys: [privateJwk as { kty: string }] } }), 'clients[0].jwks.keys[0]: must be a public key (has d)'],
    [
      'a private RSA key in jwks, second in the set',
      () => ({ jwks: { keys: [pair.publicJwk as { kty: string }, { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'x', p: 'x', q: 'x' }] } }),
      'clients[0].jwks.keys[1]: must be a public key (has d, p, q)',
    ],
    ['a symmetric key in jwks', () => ({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }), 'clients[0].jwks.keys[0].kty: must be RSA, EC or OKP (a public key)'],
    ['jwks and jwksUri together', () => ({ jwks: jwksOf(pair), jwksUri: 'https://client.example/jwks' }), 'clients[0].jwksUri: give jwks or jwksUri, not both'],
    ['private_key_jwt without keys', () => ({ authMethods: ['private_key_jwt'] }), 'clients[0].jwks: private_key_jwt needs jwks or jwksUri'],
    [
      'keys on a client_secret_basic client',
      () => ({ clientSecret: SECRET, authMethods: ['client_secret_basic'], jwks: jwksOf(pair) }),
      'clients[0].authMethods: jwks and jwksUri are for private_key_jwt',
    ],
    ['an HS alg on a private_key_jwt client', () => ({ jwks: jwksOf(pair), tokenEndpointAuthSigningAlg: 'HS256' }), 'clients[0].tokenEndpointAuthSigningAlg: HS256 does not suit private_key_jwt'],
    ['alg none on a private_key_jwt client', () => ({ jwks: jwksOf(pair), tokenEndpointAuthSigningAlg: 'none' }), 'clients[0].tokenEndpointAuthSigningAlg: tokenEndpointAuthSigningAlg must be a JWS algorithm other than none'],
    [
      'an RS alg on a client_secret_jwt client',
      () => ({ clientSecret: SECRET, authMethods: ['client_secret_jwt'], tokenEndpointAuthSigningAlg: 'RS256' }),
      'clients[0].tokenEndpointAuthSigningAlg: RS256 does not suit client_secret_jwt',
    ],
    [
      'an HS alg on a client_secret_basic client',
      () => ({ clientSecret: SECRET, tokenEndpointAuthSigningAlg: 'HS256' }),
      'clients[0].tokenEndpointAuthSigningAlg: HS256 does not suit client_secret_basic',
    ],
    ['client_secret_jwt without a secret', () => ({ authMethods: ['client_secret_jwt'] }), 'clients[0].clientSecret: required for client_secret_jwt'],
    [
      'a jwksUri over http on a public host',
      () => ({ jwksUri: 'http://client.example/jwks' }),
      'clients[0].jwksUri: must be an https URL (http only on a loopback host) without query or fragment',
    ],
    [
      'a jwksUri with a query',
      () => ({ jwksUri: 'https://client.example/jwks?tenant=1' }),
      'clients[0].jwksUri: must be an https URL (http only on a loopback host) without query or fragment',
    ],
    [
      'a jwksUri that is not a URL',
      () => ({ jwksUri: 'client.example/jwks' }),
      'clients[0].jwksUri: must be an https URL (http only on a loopback host) without query or fragment',
    ],
    ["keys on a client that allows 'none'", () => ({ jwks: jwksOf(pair), authMethods: ['private_key_jwt', 'none'] }), "clients[0].authMethods: a client with a secret or keys must not allow 'none'"],
  ];

  it.each(cases)('%s', async (_name, seed, problem) => {
    const problems = await bootWith(platform, db, { clients: [{ clientId: 'c', scopes: ['read'], ...seed() }] });
    expect(problems, problems.join('\n')).toContain(problem);
  });

  it('an empty key set names the jwks path with a colon', async () => {
    expect(await bootWith(platform, db, { clients: [{ clientId: 'c', jwks: { keys: [] } }] })).toContain(
      'clients[0].jwks: must be a JWK Set ({ keys: [...] }) with at least one key',
    );
  });

  it('an empty key set is refused at all', async () => {
    const problems = await bootWith(platform, db, { clients: [{ clientId: 'c', jwks: { keys: [] } }] });
    expect(problems.some((p) => p.startsWith('clients[0].jwks') && p.includes('at least one key'))).toBe(true);
  });

  it.each([
    [{ maxLifetime: 5 }, 'clientAssertions.maxLifetime'],
    [{ maxLifetime: 86_400 }, 'clientAssertions.maxLifetime'],
    [{ jwksTimeoutMs: 60_000 }, 'clientAssertions.jwksTimeoutMs'],
    [{ jwksCacheTtl: -1 }, 'clientAssertions.jwksCacheTtl'],
    [{ allowPrivateJwksUri: 'yes' as never }, 'clientAssertions.allowPrivateJwksUri'],
  ])('clientAssertions %o is refused, naming %s', async (clientAssertions, path) => {
    const problems = await bootWith(platform, db, { clientAssertions });
    expect(problems.some((p) => p.startsWith(path)), problems.join('\n')).toBe(true);
  });

  it('a sound private_key_jwt and client_secret_jwt configuration boots', async () => {
    const t = await bootTestApp({
      platform,
      db,
      options: {
        scopes: ['read'],
        clientAssertions: { maxLifetime: 120, jwksCacheTtl: 60, jwksTimeoutMs: 1000, allowPrivateJwksUri: false },
        clients: [
          { clientId: 'a', jwks: jwksOf(pair), tokenEndpointAuthSigningAlg: 'ES256' },
          { clientId: 'b', jwksUri: 'https://client.example/jwks' },
          { clientId: 'c', clientSecret: SECRET, authMethods: ['client_secret_jwt', 'client_secret_basic'], tokenEndpointAuthSigningAlg: 'HS512' },
        ],
      },
    });
    await t.close();
  });
});
