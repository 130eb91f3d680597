import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { expect } from 'vitest';
import type { ClientSeed } from '../../../src/index.js';
import { authorizePath, clientRedirect, pkce, tableRows, type TestBrowser } from '../../support/authorization-flow.js';
import { request, type TestResponse } from '../../support/http.js';
import { oidcRequest, redeemCode } from '../../support/oidc-app.js';
import type { TestApp } from '../../support/test-app.js';

/** A verified ID token: its protected header and payload. */
export interface VerifiedIdToken {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/**
 * Verifies a JWT with the one JWKS key its `kid` names (not "any key that works"), the issuer and the audience;
 * `at` is the time to check `exp` against (a FakeClock's now).
 */
export async function verifyIdToken(t: TestApp, jwt: string, audience: string, at?: number): Promise<VerifiedIdToken> {
  const header = decodeProtectedHeader(jwt);
  const jwks = (await request(`${t.url}/oauth/jwks`)).body as { keys: JWK[] };
  const jwk = jwks.keys.filter((key) => key.kid === header.kid);
  expect(jwk, `one published key with kid ${header.kid}`).toHaveLength(1);
  const key = await importJWK(jwk[0]!, header.alg);
  const { payload } = await jwtVerify(jwt, key, {
    issuer: t.issuer,
    audience,
    algorithms: [header.alg!],
    ...(at !== undefined ? { currentDate: new Date(at) } : {}),
  });
  return { header, payload };
}

/** `at_hash` computed here (OpenID Connect Core 3.1.3.6): left half of SHA-256 (SHA-512 for EdDSA), base64url. */
export function expectedAtHash(accessToken: string, alg: string): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** A JWT signed with a key this test made (never published by the server), with the given header `kid`. */
export async function foreignToken(payload: JWTPayload, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey);
}

/** The redirect of an authorization request a browser sends (its session may answer it at once). */
export async function authorize(browser: TestBrowser, client: ClientSeed, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const params = oidcRequest(client, challenge, extra);
  const res = await browser.get(authorizePath(params));
  return { res, params, verifier };
}

/** An authorization request the browser's session answers with a code; the code redeemed (asserting 200). */
export async function silentTokens(t: TestApp, browser: TestBrowser, client: ClientSeed, extra: Record<string, string> = {}) {
  const { res, params, verifier } = await authorize(browser, client, extra);
  const code = clientRedirect(res, client.redirectUris![0]!).get('code');
  expect(code, res.headers.get('location') ?? '').toBeTruthy();
  const tokens = await redeemCode(t, client, code!, verifier);
  expect(tokens.status, tokens.text).toBe(200);
  return { params, tokens: tokens.body, idToken: tokens.body.id_token as string };
}

/** The error of a redirect to the client, asserting `state` and `iss` came back with it. */
export function redirectError(res: TestResponse, client: ClientSeed, t: TestApp, state = 'st-oidc'): string | null {
  const params = clientRedirect(res, client.redirectUris![0]!);
  expect(params.get('state')).toBe(state);
  expect(params.get('iss')).toBe(t.issuer);
  expect(params.get('code')).toBeNull();
  return params.get('error');
}

/** Counts of what an authorization request may create. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const entity of ['AuthorizationCodeEntity', 'InteractionEntity', 'NonceEntity', 'SessionEntity']) {
    counts[entity] = (await tableRows(t.app, entity)).length;
  }
  return counts;
}

/** A GET with raw headers (fetch does not let a test set `Host`), resolving status and parsed JSON body. */
export function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body, location: res.headers.location });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
