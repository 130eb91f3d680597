import { createHash, randomBytes } from 'node:crypto';
import { BENCH_REDIRECT_URI, BENCH_SECRET, BENCH_WEB_CLIENT } from '../server/bench-clients.js';
import { FlowCookies } from './flow-cookies.js';

/** The tokens one finished login gives the web app. */
export interface FlowTokens {
  accessToken: string;
  refreshToken: string;
}

/** Options of one flow. */
export interface FlowOptions {
  /** Aborts every request of the flow after this many milliseconds (default 10 000). */
  timeoutMs?: number;
}

/** What `bench-web` logs in with, and as which user. */
const CLIENT_ID = BENCH_WEB_CLIENT.clientId;
const SCOPE = 'openid offline_access api:read';
const USERNAME = 'alice';
const PASSWORD = 'alice-password';
/** Redirects, pages and posts one flow may take before it is called stuck (authorize, login page, login, continuation). */
const MAX_HOPS = 8;

/** `Authorization: Basic` of bench-web (RFC 6749 section 2.3.1: form-urlencoded id and secret). */
export const BENCH_WEB_BASIC = `Basic ${Buffer.from(
  `${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(BENCH_SECRET)}`,
).toString('base64')}`;

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/**
 * One complete authorization code flow with PKCE (S256) as a fresh browser: GET /oauth/authorize, the login page,
 * the login POST as alice, 303s followed by hand (cookies kept) until the browser is sent to BENCH_REDIRECT_URI,
 * `state` (and `iss`) checked, then the code exchanged at /oauth/token with client_secret_basic. The token response
 * must be 200 with access_token, refresh_token, an id_token carrying our nonce, and token_type Bearer.
 *
 * @param base the server's origin, e.g. `http://127.0.0.1:3191`
 * @throws Error naming the step and what was wrong (status and the start of the body), on anything unexpected
 */
export async function runCodeFlow(base: string, options: FlowOptions = {}): Promise<FlowTokens> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const random = randomBytes(64).toString('base64url');
  const verifier = random.slice(0, 43);
  const state = random.slice(43, 64);
  const nonce = random.slice(64);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: BENCH_REDIRECT_URI,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const callback = await browse(`${base}/oauth/authorize?${query.toString()}`, new FlowCookies(), signal);
  const code = checkCallback(callback, state);
  const tokens = await exchangeCode(base, code, verifier, signal);
  checkIdToken(tokens.idToken, nonce);
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

/** Follows the browser from the authorization URL through the login page; resolves the URL it is sent back to. */
async function browse(start: string, cookies: FlowCookies, signal: AbortSignal): Promise<URL> {
  let url = new URL(start);
  let step = 'authorize';
  let loggedIn = false;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const res = await send(url, cookies, signal);
    if (res.status === 303) {
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (!location) throw new Error(`code flow: ${step}: 303 without Location`);
      if (location.startsWith(`${BENCH_REDIRECT_URI}?`)) return new URL(location);
      url = new URL(location, url);
      step = loggedIn ? 'after login' : 'login page';
      continue;
    }
    const body = await res.text();
    if (res.status !== 200) throw new Error(`code flow: ${step}: expected 303 or 200, got ${res.status}: ${snippet(body)}`);
    if (loggedIn || !body.includes('name="password"')) {
      throw new Error(`code flow: ${step}: unexpected page (consent or error?): ${snippet(body)}`);
    }
    const form = loginForm(body, step);
    url = new URL(form.action, url);
    const login = await send(url, cookies, signal, form.body);
    const text = await login.text();
    if (login.status !== 303) throw new Error(`code flow: login POST: expected 303, got ${login.status}: ${snippet(text)}`);
    const location = login.headers.get('location');
    if (!location) throw new Error('code flow: login POST: 303 without Location');
    if (location.startsWith(`${BENCH_REDIRECT_URI}?`)) return new URL(location);
    url = new URL(location, url);
    step = 'after login';
    loggedIn = true;
  }
  throw new Error(`code flow: still not back at the redirect URI after ${MAX_HOPS} hops (last: ${step})`);
}

/** One request of the browser: its cookies for the path, redirects left to us, Set-Cookie stored. */
async function send(url: URL, cookies: FlowCookies, signal: AbortSignal, form?: string): Promise<Response> {
  const cookie = cookies.header(url.pathname);
  const headers: Record<string, string> = form === undefined ? {} : { ...FORM_HEADERS };
  if (cookie !== undefined) headers.cookie = cookie;
  const res = await fetch(url, { method: form === undefined ? 'GET' : 'POST', headers, body: form, redirect: 'manual', signal });
  cookies.store(res.headers);
  return res;
}

/** The login form's action and the urlencoded body to post to it as alice. */
function loginForm(html: string, step: string): { action: string; body: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`code flow: ${step}: no login form with a csrf field: ${snippet(html)}`);
  const body = new URLSearchParams({ csrf: unescapeHtml(csrf), username: USERNAME, password: PASSWORD }).toString();
  return { action: unescapeHtml(action), body };
}

function unescapeHtml(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&#38;|&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;|&#34;/g, '"');
}

/** The code of the redirect back to the client, after checking it is no error and carries our state and an iss. */
function checkCallback(callback: URL, state: string): string {
  const params = callback.searchParams;
  const error = params.get('error');
  if (error !== null) throw new Error(`code flow: redirect URI got error=${error} (${params.get('error_description') ?? ''})`);
  if (params.get('state') !== state) throw new Error(`code flow: redirect URI state mismatch (got ${params.get('state')})`);
  if (!params.get('iss')) throw new Error('code flow: redirect URI without iss (RFC 9207)');
  const code = params.get('code');
  if (!code) throw new Error('code flow: redirect URI without code');
  return code;
}

/** POST /oauth/token with grant_type=authorization_code; checks the response has every token and is Bearer. */
async function exchangeCode(
  base: string,
  code: string,
  verifier: string,
  signal: AbortSignal,
): Promise<FlowTokens & { idToken: string }> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: BENCH_REDIRECT_URI,
  }).toString();
  const json = await tokenRequest(base, body, 'token (authorization_code)', signal);
  const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = json;
  if (typeof accessToken !== 'string' || accessToken === '') throw new Error('code flow: token: no access_token');
  if (typeof refreshToken !== 'string' || refreshToken === '') throw new Error('code flow: token: no refresh_token');
  if (typeof idToken !== 'string' || idToken === '') throw new Error('code flow: token: no id_token');
  return { accessToken, refreshToken, idToken };
}

/**
 * POSTs a urlencoded body to /oauth/token as bench-web (client_secret_basic); resolves the JSON object of a 200
 * with token_type Bearer, throws naming `what` otherwise.
 */
export async function tokenRequest(base: string, body: string, what: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { ...FORM_HEADERS, authorization: BENCH_WEB_BASIC },
    body,
    redirect: 'manual',
    signal,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${what}: expected 200, got ${res.status}: ${snippet(text)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${what}: response is not JSON: ${snippet(text)}`);
  }
  if (typeof json !== 'object' || json === null) throw new Error(`${what}: response is not a JSON object`);
  const object = json as Record<string, unknown>;
  const tokenType = object.token_type;
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw new Error(`${what}: token_type is ${String(tokenType)}, not Bearer`);
  }
  return object;
}

/** The ID token's payload must carry the nonce of the authorization request (the signature is not checked here). */
function checkIdToken(idToken: string, nonce: string): void {
  const payload = idToken.split('.')[1];
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  } catch {
    throw new Error('code flow: id_token is not a JWT');
  }
  if (typeof claims !== 'object' || claims === null || (claims as { nonce?: unknown }).nonce !== nonce) {
    throw new Error('code flow: id_token nonce does not match the request');
  }
}

/** The start of a response body, on one line, for an error message. */
export function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line || '(empty body)';
}
