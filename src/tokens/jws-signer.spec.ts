import { compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from './jws-signer.js';

const CLAIMS = { client_id: 'svc', scope: 'api:read', iss: 'https://issuer.example', sub: 'svc', aud: 'https://api.example', jti: 'j1', iat: 1_700_000_000, exp: 4_000_000_000 };

describe('signCompactJws', () => {
  it.each(['ES256', 'RS256', 'EdDSA'] as const)('signs %s JWTs that jose verifies, with the header and claims jose writes', async (alg) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const header = { alg, kid: 'k1', typ: 'at+jwt' };
    const token = signCompactJws({ alg, privateKey }, header, { ...CLAIMS });
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { typ: 'at+jwt', issuer: CLAIMS.iss, audience: CLAIMS.aud });
    expect(protectedHeader).toEqual(header);
    expect(payload).toEqual(CLAIMS);
    const fromJose = await new SignJWT({ client_id: 'svc', scope: 'api:read' })
      .setProtectedHeader(header)
      .setIssuer(CLAIMS.iss)
      .setSubject(CLAIMS.sub)
      .setAudience(CLAIMS.aud)
      .setJti(CLAIMS.jti)
      .setIssuedAt(CLAIMS.iat)
      .setExpirationTime(CLAIMS.exp)
      .sign(privateKey);
    // Same header and payload bytes; only the signature differs (ECDSA is randomised).
    expect(token.split('.').slice(0, 2)).toEqual(fromJose.split('.').slice(0, 2));
    expect(decodeProtectedHeader(token)).toEqual(header);
  });

  it('writes ES256 signatures as r || s (64 bytes), not DER', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const token = signCompactJws({ alg: 'ES256', privateKey }, { alg: 'ES256', kid: 'k', typ: 'JWT' }, { sub: 'x' });
    expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
    await expect(compactVerify(token, publicKey)).resolves.toBeDefined();
  });

  it('refuses a key of another algorithm, a header naming another algorithm, and a short RSA key', async () => {
    const { privateKey: ec } = await generateKeyPair('ES256');
    expect(() => signCompactJws({ alg: 'RS256', privateKey: ec }, { alg: 'RS256', kid: 'k', typ: 'JWT' }, {})).toThrow(/not a private RS256 key/);
    expect(() => signCompactJws({ alg: 'ES256', privateKey: ec }, { alg: 'EdDSA', kid: 'k', typ: 'JWT' }, {})).toThrow(/cannot sign EdDSA/);
    const { privateKey: p384 } = await generateKeyPair('ES384');
    expect(() => signCompactJws({ alg: 'ES256', privateKey: p384 }, { alg: 'ES256', kid: 'k', typ: 'JWT' }, {})).toThrow(/not a private ES256 key/);
    // jose will not make a 1024-bit key: node:crypto does, WebCrypto imports it.
    const der = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' });
    const short = await webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    expect(() => signCompactJws({ alg: 'RS256', privateKey: short }, { alg: 'RS256', kid: 'k', typ: 'JWT' }, {})).toThrow(/not a private RS256 key/);
  });

  it('refuses a public key', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    expect(await exportJWK(publicKey)).not.toHaveProperty('d');
    expect(() => signCompactJws({ alg: 'ES256', privateKey: publicKey }, { alg: 'ES256', kid: 'k', typ: 'JWT' }, {})).toThrow(/not a private ES256 key/);
  });
});
