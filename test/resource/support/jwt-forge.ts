import { randomBytes } from 'node:crypto';
import { CompactSign, decodeJwt, decodeProtectedHeader, type CryptoKey, type CompactJWSHeaderParameters } from 'jose';
import { KeyStoreService } from '../../../src/index.js';
import type { TestApp } from '../../support/test-app.js';
import { CLIENTS } from './resource-app.js';

/** base64url of a string (UTF-8) or bytes. */
export function b64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/** Encodes a compact JWS from raw parts: objects are JSON-encoded, strings are taken as the exact JSON text. */
export function encodeJws(header: object | string, payload: object | string, signature = ''): string {
  const json = (part: object | string) => (typeof part === 'string' ? part : JSON.stringify(part));
  return `${b64url(json(header))}.${b64url(json(payload))}.${signature}`;
}

/** The three segments of a compact token. */
export function segments(token: string): [string, string, string] {
  const [header, payload, signature] = token.split('.');
  return [header, payload, signature];
}

/** The decoded header and claims of a compact JWT (no verification). */
export function inspect(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  return { header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) as Record<string, unknown> };
}

/** The server's own signing key, through the DI container as a host app would reach it. */
export function serverKey(t: TestApp): { kid: string; alg: string; privateKey: CryptoKey } {
  return t.app.get(KeyStoreService).signingKey();
}

/** Seconds since the epoch (real time; apps with a FakeClock pass their own `now`). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** RFC 9068 claims of a JWT access token as the server would issue it to the JWT client. */
export function accessTokenClaims(t: TestApp, now = nowSeconds()): Record<string, unknown> {
  return {
    iss: t.issuer,
    sub: CLIENTS.jwt.clientId,
    aud: t.issuer,
    exp: now + 600,
    iat: now,
    jti: randomBytes(16).toString('base64url'),
    client_id: CLIENTS.jwt.clientId,
    scope: 'profile',
  };
}

/**
 * Signs exactly the given header and payload with jose (payload given as JSON text when it must hold values
 * JSON.stringify cannot produce).
 */
export async function signJws(key: CryptoKey | Uint8Array, header: CompactJWSHeaderParameters, payload: object | string): Promise<string> {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return new CompactSign(new TextEncoder().encode(text)).setProtectedHeader(header).sign(key);
}

/** What `signAsServer` changes in the token the server would issue. */
export interface ServerSignOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** The exact payload JSON text (replaces `claims`). */
  payload?: string;
  /** `iat` of the standard claims, in seconds (default: the wall clock). */
  now?: number;
}

/**
 * Signs with the server's real key: header `{ alg, kid, typ: 'at+jwt' }` merged with `header` (a value of
 * `undefined` removes the member), and the standard claims merged with `claims` (likewise).
 */
export async function signAsServer(t: TestApp, options: ServerSignOptions = {}): Promise<string> {
  const key = serverKey(t);
  const header = withoutUndefined({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...options.header }) as CompactJWSHeaderParameters;
  const payload = options.payload ?? withoutUndefined({ ...accessTokenClaims(t, options.now), ...options.claims });
  return signJws(key.privateKey, header, payload);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** Flips one bit of the decoded bytes of a base64url segment and re-encodes it canonically. */
export function flipBit(segment: string, byteIndex: number, bit = 0): string {
  const bytes = Buffer.from(segment, 'base64url');
  bytes[byteIndex] ^= 1 << bit;
  return bytes.toString('base64url');
}

/**
 * Signs any header as given (even ones jose refuses to produce, such as `crit: []`) with the server's
 * ES256 key, straight through WebCrypto.
 */
export async function signRawAsServer(t: TestApp, header: Record<string, unknown>, payload: object | string): Promise<string> {
  const key = serverKey(t);
  if (key.alg !== 'ES256') throw new Error(`signRawAsServer signs ES256 only, the server key is ${key.alg}`);
  const unsigned = encodeJws({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }, payload).slice(0, -1);
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new TextEncoder().encode(unsigned));
  return `${unsigned}.${b64url(new Uint8Array(signature))}`;
}
