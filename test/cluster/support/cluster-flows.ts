import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ASSERTION_TYPE, signWithKey, type TestKeyPair } from '../../rfc7523/support/assertions.js';
import { authorizePath, clientRedirect, formOf, pkce, TestBrowser } from '../../support/authorization-flow.js';
import { basic, postForm, request, type TestResponse } from '../../support/http.js';
import type { Cluster } from './cluster.js';
import { UPSTREAM_HEADER } from './round-robin-proxy.js';

/** The sample's registered callback of demo-client and demo-spa. */
export const CALLBACK = 'http://127.0.0.1:8080/callback';
export const DEMO_CLIENT = { id: 'demo-client', secret: 'demo-secret' } as const;
export const DEMO_API = { id: 'demo-api', secret: 'demo-api-secret' } as const;
/** The sample's public clients (no secret): client_id in the form. */
export type PublicClient = 'demo-spa' | 'demo-device';
export type SampleClient = PublicClient | 'demo-client';

/** Which instance (index) answered a response that came through the proxy. */
export function upstreamOf(res: TestResponse): number {
  const value = res.headers.get(UPSTREAM_HEADER);
  if (value === null) throw new Error('the response did not come through the proxy');
  return Number(value);
}

/** A browser that talks to the cluster through its balancer (the issuer's URL). */
export function clusterBrowser(cluster: Cluster): TestBrowser {
  return new TestBrowser({ url: cluster.url, issuer: cluster.url });
}

/** How a client authenticates at the token, revocation and introspection endpoints. */
export function clientAuth(client: SampleClient): { form: Record<string, string>; headers: Record<string, string> } {
  return client === 'demo-client' ? { form: {}, headers: { authorization: basic(DEMO_CLIENT.id, DEMO_CLIENT.secret) } } : { form: { client_id: client }, headers: {} };
}

/** POSTs a form to the token endpoint at `base` (the balancer or one instance) as `client`. */
export function tokenPost(base: string, client: SampleClient, form: Record<string, string>, headers: Record<string, string> = {}): Promise<TestResponse> {
  const auth = clientAuth(client);
  return postForm(`${base}/oauth/token`, { ...form, ...auth.form }, { ...auth.headers, ...headers });
}

/** A code with its PKCE verifier, issued to `client` for alice. */
export interface IssuedCode {
  client: SampleClient;
  code: string;
  verifier: string;
}

/**
 * A code for alice through the authorization endpoint in `browser`: the login page when it has no session, the
 * consent page when alice has not consented to `client` yet, else straight back to the client.
 */
export async function browserCode(browser: TestBrowser, client: 'demo-client' | 'demo-spa', scope: string): Promise<IssuedCode> {
  const { verifier, challenge } = pkce();
  let res = await browser.get(
    authorizePath({ response_type: 'code', client_id: client, redirect_uri: CALLBACK, scope, state: 'st', code_challenge: challenge, code_challenge_method: 'S256' }),
  );
  for (let step = 0; step < 3 && !(res.headers.get('location') ?? '').startsWith(CALLBACK); step += 1) {
    const page = await browser.follow(res);
    const form = formOf(page.text);
    const answer: Record<string, string> = page.text.includes('name="password"') ? { username: 'alice', password: 'alice-password' } : { decision: 'approve' };
    res = await browser.post(form.action, { csrf: form.csrf, ...answer });
  }
  return { client, code: clientRedirect(res, CALLBACK).get('code')!, verifier };
}

/** Redeems a code at `base`. */
export function redeem(base: string, issued: IssuedCode): Promise<TestResponse> {
  return tokenPost(base, issued.client, { grant_type: 'authorization_code', code: issued.code, redirect_uri: CALLBACK, code_verifier: issued.verifier });
}

export function refresh(base: string, client: SampleClient, refreshToken: string): Promise<TestResponse> {
  return tokenPost(base, client, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

export function revoke(base: string, client: SampleClient, token: string): Promise<TestResponse> {
  const auth = clientAuth(client);
  return postForm(`${base}/oauth/revoke`, { token, ...auth.form }, auth.headers);
}

/** Introspects a token as demo-api (the sample's resource server client) and resolves `active`. */
export async function isActive(base: string, token: string): Promise<boolean> {
  const res = await postForm(`${base}/oauth/introspect`, { token }, { authorization: basic(DEMO_API.id, DEMO_API.secret) });
  expect(res.status, res.text).toBe(200);
  return res.body.active === true;
}

/** GETs one of the sample's guarded routes with a bearer token. */
export function getApi(base: string, path: string, accessToken: string): Promise<TestResponse> {
  return request(`${base}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
}

/** The access and refresh token of a 200 token response. */
export function tokensOf(res: TestResponse): { accessToken: string; refreshToken?: string; idToken?: string } {
  expect(res.status, res.text).toBe(200);
  return {
    accessToken: String(res.body.access_token),
    ...(typeof res.body.refresh_token === 'string' ? { refreshToken: res.body.refresh_token } : {}),
    ...(typeof res.body.id_token === 'string' ? { idToken: res.body.id_token } : {}),
  };
}

/** Asserts an OAuth error answer. */
export function expectError(res: TestResponse, status: number, error: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error, res.text).toBe(error);
}

/** The login form of a fresh authorization request for demo-spa, and a function posting credentials to it. */
export async function loginForm(cluster: Cluster): Promise<(username: string, password: string) => Promise<TestResponse>> {
  const browser = clusterBrowser(cluster);
  const { challenge } = pkce();
  const start = await browser.get(
    authorizePath({ response_type: 'code', client_id: 'demo-spa', redirect_uri: CALLBACK, scope: 'profile', code_challenge: challenge, code_challenge_method: 'S256' }),
  );
  const form = formOf((await browser.follow(start)).text);
  return (username, password) => browser.post(form.action, { csrf: form.csrf, username, password });
}

/** A JSON call to the registration endpoint or a client configuration endpoint (RFC 7591, RFC 7592). */
export function json(url: string, method: 'POST' | 'GET' | 'PUT' | 'DELETE', token?: string, body?: unknown): Promise<TestResponse> {
  return request(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A fresh private_key_jwt assertion of `clientId` for the token endpoint of `issuer` (its `aud`). */
export function clientAssertion(key: TestKeyPair, clientId: string, issuer: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return signWithKey(key, { iss: clientId, sub: clientId, aud: `${issuer}/oauth/token`, iat, exp: iat + 60, jti: randomUUID() });
}

/** A client_credentials request authenticated by a client assertion. */
export function assertionGrant(assertion: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
}
