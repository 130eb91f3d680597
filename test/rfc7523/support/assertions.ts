import { randomUUID } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import type { ClientJwks, ClientPublicJwk } from '../../../src/options/client-auth-options.interface.js';
import { postForm, type TestResponse } from '../../support/http.js';
import { TEST_ISSUER, type TestApp } from '../../support/test-app.js';
import { CLIENT_CREDENTIALS, expectOAuthError, tokenRequest } from '../../token-endpoint/helpers.js';

/** `client_assertion_type` of RFC 7523 section 2.2. */
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The token endpoint's URL as the test server's issuer names it (the `aud` of a client assertion). */
export const TOKEN_ENDPOINT = `${TEST_ISSUER}/oauth/token`;
export const REVOCATION_ENDPOINT = `${TEST_ISSUER}/oauth/revoke`;
export const INTROSPECTION_ENDPOINT = `${TEST_ISSUER}/oauth/introspect`;

/** A key pair for private_key_jwt: the private key to sign with, the public JWK to register. */
export interface TestKeyPair {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Every asymmetric JWS algorithm jose signs with. */
export const ASYMMETRIC_ALGS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'] as const;
export type AsymmetricAlg = (typeof ASYMMETRIC_ALGS)[number];

export async function testKeyPair(alg: AsymmetricAlg = 'ES256', kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The same key pair under another `alg` (an RSA key signs RS256 and PS256 alike); its public JWK names no `alg`. */
export async function asAlg(pair: TestKeyPair, alg: AsymmetricAlg): Promise<TestKeyPair> {
  const privateKey = (await importJWK(await exportJWK(pair.privateKey), alg, { extractable: true })) as CryptoKey;
  const { alg: _alg, ...publicJwk } = pair.publicJwk;
  return { alg, kid: pair.kid, privateKey, publicJwk };
}

/** A JWK Set of the pairs' public keys, as a client registers it. */
export function jwksOf(...pairs: TestKeyPair[]): ClientJwks {
  return { keys: pairs.map((pair) => pair.publicJwk as ClientPublicJwk) };
}

/** Seconds since the epoch of `now` (ms). */
export const seconds = (now: number) => Math.floor(now / 1000);

/** The claims of a good client assertion of `clientId` at `now` (ms): iss = sub = client, aud the token endpoint, 60 s, a fresh jti. */
export function assertionClaims(clientId: string, now: number, overrides: JWTPayload = {}): JWTPayload {
  const iat = seconds(now);
  return { iss: clientId, sub: clientId, aud: TOKEN_ENDPOINT, iat, exp: iat + 60, jti: randomUUID(), ...overrides };
}

/** `claims` without the named members (to send an assertion that lacks them). */
export function without(claims: JWTPayload, ...names: string[]): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));
}

/** Signs `claims` with a private key (header alg and kid from the pair unless `header` says otherwise). */
export function signWithKey(pair: TestKeyPair, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: pair.alg, kid: pair.kid, ...header } as { alg: string }).sign(pair.privateKey);
}

/** Signs `claims` with HMAC under `secret` (client_secret_jwt). */
export function signWithSecret(secret: string | Uint8Array, claims: JWTPayload, alg: 'HS256' | 'HS384' | 'HS512' = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

/** A compact JWS built by hand: header and payload JSON-serialised (strings taken as they are), signature as given. */
export function rawJwt(header: unknown, payload: unknown, signature = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

/** The form parameters of a client assertion. */
export function assertionForm(assertion: string): Record<string, string> {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
}

/** A client_credentials request authenticated by `assertion` (plus `form`). */
export function assertionTokenRequest(t: TestApp | { url: string }, assertion: string, form: Record<string, string> = {}): Promise<TestResponse> {
  return tokenRequest(t as TestApp, { ...CLIENT_CREDENTIALS, ...assertionForm(assertion), ...form });
}

/** POSTs `form` plus `assertion` to another endpoint of the app (`/oauth/revoke`, `/oauth/introspect`). */
export function assertionPost(t: { url: string }, path: string, assertion: string, form: Record<string, string>): Promise<TestResponse> {
  return postForm(`${t.url}${path}`, { ...form, ...assertionForm(assertion) });
}

/**
 * 401 `invalid_client` of a failed client assertion: the RFC 6749 section 5.2 envelope, no `WWW-Authenticate` (the
 * client did not use the Authorization header), and nothing of the assertion in the body.
 */
export function expectAssertionRefused(res: TestResponse, assertion?: string): void {
  expectOAuthError(res, 401, 'invalid_client');
  expect(res.headers.get('www-authenticate')).toBeNull();
  if (assertion) expectNotContained(res.text, assertion);
}

/** `text` contains neither `assertion` nor any of its three parts (nor a secret given as `assertion`). */
export function expectNotContained(text: string, assertion: string): void {
  for (const part of [assertion, ...assertion.split('.').filter((p) => p.length >= 8)]) expect(text).not.toContain(part);
}

/** Every log line of the app (Nest's static logger). */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]) => void this.lines.push(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
  fatal = this.log;
  get text(): string {
    return this.lines.join('\n');
  }
}

/** Runs `fn` with every log line of the process captured. */
export async function withLogs<T>(fn: (logger: CapturingLogger) => Promise<T>): Promise<T> {
  const logger = new CapturingLogger();
  Logger.overrideLogger(logger);
  try {
    return await fn(logger);
  } finally {
    Logger.overrideLogger(false);
  }
}
