/**
 * Forged JWTs that attack the algorithm and key selection (security checklist items 45-48, 52; RFC 8725
 * sections 2.1, 3.1, 3.10): `alg: none`, HMAC keyed with the public key, keys the attacker generated (with
 * the real kid or not), key material or key URLs in the header. Every case: 401 invalid_token, never 500,
 * and no outbound request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get } from '@nestjs/common';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequireScope } from '../../src/index.js';
import { testMatrix } from '../support/matrix.js';
import type { TestApp } from '../support/test-app.js';
import { bootResourceApp, call, expectInvalidToken, issueToken } from './support/resource-app.js';
import { accessTokenClaims, b64url, encodeJws, inspect, serverKey, signAsServer, signJws } from './support/jwt-forge.js';

@Controller('api')
class MeController {
  @Get('me')
  @RequireScope('profile')
  me() {
    return { ok: true };
  }
}

/** Records every request it receives (for `jku` / `x5u`: the resource server must never fetch them). */
async function startCanary(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.each(testMatrix())('forged JWT algorithms and keys on %s/%s', (platform, db) => {
  let t: TestApp;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let realToken: string;
  let publicJwk: JWK;
  let attacker: { privateKey: CryptoKey; publicJwk: JWK };

  beforeAll(async () => {
    canary = await startCanary();
    t = await bootResourceApp(platform, db, { controllers: [MeController] });
    realToken = await issueToken(t, 'jwt', 'profile');
    const jwks = await call(t, '/oauth/jwks');
    publicJwk = (jwks.body.keys as JWK[]).find((key) => key.kid === serverKey(t).kid)!;
    const pair = await generateKeyPair('ES256', { extractable: true });
    attacker = { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
  });
  afterAll(async () => {
    await t?.close();
    await canary?.close();
  });

  const me = (token: string) => call(t, '/api/me', { token });
  const claims = () => inspect(realToken).claims;
  const header = () => inspect(realToken).header;

  it('baseline: the real token is accepted', async () => {
    expect((await me(realToken)).status).toBe(200);
  });

  describe('alg none (item 45)', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %j with and without the trailing dot', async (alg) => {
      const unsigned = encodeJws({ ...header(), alg }, claims());
      expectInvalidToken(await me(unsigned));
      expectInvalidToken(await me(unsigned.slice(0, -1)));
    });

    it('refuses alg none that keeps the original signature', async () => {
      const signature = realToken.split('.')[2];
      expectInvalidToken(await me(encodeJws({ ...header(), alg: 'none' }, claims(), signature)));
    });

    it('refuses a token without alg', async () => {
      const { alg: _alg, ...rest } = header();
      expectInvalidToken(await me(encodeJws(rest, claims(), realToken.split('.')[2])));
    });
  });

  describe('HMAC keyed with the public key (item 46)', () => {
    const secrets: [string, () => Promise<Uint8Array>][] = [
      ['PEM', async () => new TextEncoder().encode(await spki())],
      ['PEM without the trailing newline', async () => new TextEncoder().encode((await spki()).trimEnd())],
      ['DER', async () => Buffer.from((await spki()).replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')],
      ['JWK JSON', async () => new TextEncoder().encode(JSON.stringify(publicJwk))],
      ['JWK JSON of the key members', async () => {
        const { kty, crv, x, y } = publicJwk;
        return new TextEncoder().encode(JSON.stringify({ kty, crv, x, y }));
      }],
    ];
    async function spki(): Promise<string> {
      return exportSPKI((await importJWK(publicJwk, 'ES256', { extractable: true })) as CryptoKey);
    }

    it.each(secrets)('refuses HS256 keyed with the %s', async (_name, secret) => {
      const token = await signJws(await secret(), { alg: 'HS256', kid: serverKey(t).kid, typ: 'at+jwt' }, claims());
      expectInvalidToken(await me(token));
    });

    it.each(['HS384', 'HS512'])('refuses %s keyed with the PEM', async (alg) => {
      const token = await signJws(new TextEncoder().encode(await spki()), { alg, kid: serverKey(t).kid, typ: 'at+jwt' }, claims());
      expectInvalidToken(await me(token));
    });
  });

  describe('keys the attacker generated (items 47, 52)', () => {
    it('refuses a token signed by a fresh ES256 key under the real kid', async () => {
      const token = await signJws(attacker.privateKey, { alg: 'ES256', kid: serverKey(t).kid, typ: 'at+jwt' }, accessTokenClaims(t));
      expectInvalidToken(await me(token));
    });

    it('refuses a token signed by a fresh ES256 key under an unknown kid, and without kid', async () => {
      const claimsSet = accessTokenClaims(t);
      expectInvalidToken(await me(await signJws(attacker.privateKey, { alg: 'ES256', kid: 'attacker-key', typ: 'at+jwt' }, claimsSet)));
      expectInvalidToken(await me(await signJws(attacker.privateKey, { alg: 'ES256', typ: 'at+jwt' }, claimsSet)));
    });

    it.each([
      ['RS256', () => generateKeyPair('RS256')],
      ['PS256', () => generateKeyPair('PS256')],
      ['ES384', () => generateKeyPair('ES384')],
      ['EdDSA', () => generateKeyPair('EdDSA')],
    ] as const)('refuses %s from an attacker key under the real (ES256) kid', async (alg, generate) => {
      const { privateKey } = await generate();
      expectInvalidToken(await me(await signJws(privateKey, { alg, kid: serverKey(t).kid, typ: 'at+jwt' }, accessTokenClaims(t))));
    });

    it('refuses ES256 claimed over a P-384 signature with the real kid', async () => {
      const { privateKey } = await generateKeyPair('ES384');
      const token = await signJws(privateKey, { alg: 'ES384', kid: serverKey(t).kid, typ: 'at+jwt' }, accessTokenClaims(t));
      const [, payload, signature] = token.split('.');
      expectInvalidToken(await me(`${b64url(JSON.stringify({ alg: 'ES256', kid: serverKey(t).kid, typ: 'at+jwt' }))}.${payload}.${signature}`));
    });
  });

  describe('key material and key URLs in the header (item 48)', () => {
    it('ignores an embedded `jwk` (with and without the real kid)', async () => {
      const claimsSet = accessTokenClaims(t);
      const jwk = attacker.publicJwk;
      expectInvalidToken(await me(await signJws(attacker.privateKey, { alg: 'ES256', typ: 'at+jwt', jwk }, claimsSet)));
      expectInvalidToken(await me(await signJws(attacker.privateKey, { alg: 'ES256', typ: 'at+jwt', kid: serverKey(t).kid, jwk }, claimsSet)));
    });

    it('never fetches `jku` or `x5u`', async () => {
      const claimsSet = accessTokenClaims(t);
      const kid = 'attacker-key';
      for (const extra of [{ jku: `${canary.url}/jwks` }, { x5u: `${canary.url}/cert.pem` }, { jku: `${canary.url}/jwks`, kid: serverKey(t).kid }]) {
        expectInvalidToken(await me(await signJws(attacker.privateKey, { alg: 'ES256', typ: 'at+jwt', kid, ...extra }, claimsSet)));
      }
      expect(canary.hits).toEqual([]);
    });

    it('ignores a self-made `x5c` chain', async () => {
      const x5c = [b64url(new Uint8Array(64).fill(1)).replace(/-/g, '+').replace(/_/g, '/')];
      const token = await signJws(attacker.privateKey, { alg: 'ES256', typ: 'at+jwt', x5c }, accessTokenClaims(t));
      expectInvalidToken(await me(token));
    });

    it('does not fetch `jku` on a token signed by the real key either (the header is ignored, not trusted)', async () => {
      const res = await me(await signAsServer(t, { header: { jku: `${canary.url}/jwks` } }));
      expect(res.status, res.text).toBe(200);
      expect(canary.hits).toEqual([]);
    });
  });
});
