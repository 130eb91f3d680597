import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../src/internal/sha256.js';
import { s256CodeChallenge } from '../../src/server/rfc7636/pkce.js';
import { INTROSPECTOR, issueCode, MACHINE, newVerifier, post, redirectOf, SPA, WEB, type IssuedCode, type TestClient } from '../grants/grant-helpers.js';
import { basic } from '../support/http.js';
import type { TestApp } from '../support/test-app.js';
import { formInit, phaseOf, timed, type LoadWorker, type OutageMarks, type Sample } from './load.js';

/**
 * The requests of the load: every protocol endpoint a client uses, a guarded route with a known and an unknown token,
 * and the authorization endpoint a browser is sent to.
 */
export type Op = 'cc' | 'code' | 'refresh' | 'introspect' | 'api' | 'api-unknown' | 'revoke' | 'authorize';

/** A refresh token family as its client sees it: the token it holds, and every token it presented. */
export interface Chain {
  current: string;
  presented: string[];
}

/** What the load spends: codes to redeem, refresh chains, opaque tokens to use and to revoke. */
export interface Material {
  codes: IssuedCode[];
  /** The codes the load sent, by value. */
  spent: Map<string, IssuedCode>;
  chains: Chain[];
  valid: string[];
  revocable: string[];
}

function auth(client: TestClient): Record<string, string> {
  return { authorization: basic(client.id, client.secret!) };
}

async function clientCredentialsToken(t: TestApp): Promise<string> {
  const res = await post(t, '/oauth/token', MACHINE, { grant_type: 'client_credentials' });
  if (res.status !== 200) throw new Error(`client_credentials: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

/** Prepares codes, refresh chains (SPA) and client_credentials tokens (MACHINE) while the database is up. */
export async function prepareMaterial(t: TestApp, counts: { codes: number; chains: number; valid: number; revocable: number }): Promise<Material> {
  const codes = await Promise.all(Array.from({ length: counts.codes }, () => issueCode(t, SPA)));
  const chains = await Promise.all(
    Array.from({ length: counts.chains }, async (): Promise<Chain> => {
      const issued = await issueCode(t, SPA);
      const res = await post(t, '/oauth/token', SPA, { grant_type: 'authorization_code', code: issued.code, redirect_uri: redirectOf(SPA), code_verifier: issued.verifier });
      if (res.status !== 200) throw new Error(`code: ${res.status} ${res.text}`);
      return { current: res.body.refresh_token as string, presented: [] };
    }),
  );
  const valid = await Promise.all(Array.from({ length: counts.valid }, () => clientCredentialsToken(t)));
  const revocable = await Promise.all(Array.from({ length: counts.revocable }, () => clientCredentialsToken(t)));
  return { codes, spent: new Map(), chains, valid, revocable };
}

/** A well-formed opaque token no one was issued: the guard must look it up to refuse it. */
export function unknownToken(): string {
  return randomBytes(49).toString('base64url').slice(0, 65);
}

/** One worker per kind of request (three refresh chains, one each), each at its own bounded pace. */
export function outageWorkers(t: TestApp, material: Material): LoadWorker<Op>[] {
  const token = `${t.url}/oauth/token`;
  let turn = 0;
  const nextValid = () => material.valid[turn++ % material.valid.length]!;
  const authorize = () =>
    `${t.url}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: WEB.id, redirect_uri: redirectOf(WEB), scope: 'a', state: 's', code_challenge: s256CodeChallenge(newVerifier()), code_challenge_method: 'S256',
    }).toString()}`;
  const workers: LoadWorker<Op>[] = [
    { pause: 50, next: () => timed('authorize', undefined, authorize(), {}) },
    { pause: 25, next: () => timed('cc', undefined, token, formInit({ grant_type: 'client_credentials' }, auth(MACHINE))) },
    { pause: 25, next: () => timed('introspect', undefined, `${t.url}/oauth/introspect`, formInit({ token: nextValid() }, auth(INTROSPECTOR))) },
    { pause: 25, next: () => timed('api', undefined, `${t.url}/api/any`, { headers: { authorization: `Bearer ${nextValid()}` } }) },
    { pause: 25, next: () => timed('api-unknown', undefined, `${t.url}/api/any`, { headers: { authorization: `Bearer ${unknownToken()}` } }) },
    {
      pause: 60,
      next: () => {
        const code = material.codes.shift();
        if (!code) return undefined;
        material.spent.set(code.code, code);
        const form = { grant_type: 'authorization_code', client_id: SPA.id, code: code.code, redirect_uri: redirectOf(SPA), code_verifier: code.verifier };
        return timed('code', code.code, token, formInit(form));
      },
    },
    {
      pause: 80,
      next: () => {
        const revoked = material.revocable.shift();
        return revoked === undefined ? undefined : timed('revoke', revoked, `${t.url}/oauth/revoke`, formInit({ token: revoked }, auth(MACHINE)));
      },
    },
  ];
  for (const chain of material.chains) {
    workers.push({
      pause: 40,
      next: async () => {
        const presented = chain.current;
        chain.presented.push(presented);
        const sample = await timed<Op>('refresh', presented, token, formInit({ grant_type: 'refresh_token', client_id: SPA.id, refresh_token: presented }));
        if (sample.res?.status === 200) chain.current = sample.res.body.refresh_token as string;
        return sample;
      },
    });
  }
  return workers;
}

/** The answer each request gets while the database is up. */
function succeeded(sample: Sample<Op>): boolean {
  const res = sample.res;
  if (!res) return false;
  switch (sample.op) {
    case 'authorize':
      return res.status === 303;
    case 'api-unknown':
      return res.status === 401;
    case 'introspect':
      return res.status === 200 && res.body.active === true;
    case 'cc':
    case 'code':
    case 'refresh':
      return res.status === 200 && typeof res.body.access_token === 'string';
    default:
      return res.status === 200;
  }
}

/** RFC 6749 section 5.2 `temporarily_unavailable`, 503, not cached, with a Retry-After in seconds, and nothing else said. */
export function isClean503(sample: Sample): boolean {
  const res = sample.res;
  if (!res || res.status !== 503 || !/^\d+$/.test(res.headers.get('retry-after') ?? '')) return false;
  // The authorization endpoint answers the browser with a page, never a redirect it could not check.
  if (sample.op === 'authorize') return res.headers.get('location') === null && (res.headers.get('content-type') ?? '').startsWith('text/html');
  if (res.body.error !== 'temporarily_unavailable') return false;
  const keys = Object.keys(res.body).every((key) => key === 'error' || key === 'error_description');
  return keys && res.headers.get('cache-control') === 'no-store';
}

/** The requests that only read: SQLite in WAL mode serves them while another connection holds the write lock. */
export const READS: ReadonlySet<Op> = new Set<Op>(['introspect', 'api', 'api-unknown']);

/**
 * What went wrong in a run of the load: a request that failed or hung, an answer other than success before the stop
 * and after the start (and while down for the ops of `servedWhileDown`), other than a clean 503 while the database was
 * down, other than either across a transition.
 */
export function loadViolations(samples: Sample<Op>[], marks: OutageMarks, servedWhileDown: ReadonlySet<Op> = new Set()): Sample<Op>[] {
  return samples.filter((sample) => {
    if (!sample.res) return true;
    const phase = phaseOf(sample, marks);
    if (phase === 'before' || phase === 'after' || (phase === 'down' && servedWhileDown.has(sample.op))) return !succeeded(sample);
    if (phase === 'down') return !isClean503(sample);
    return !succeeded(sample) && !isClean503(sample);
  });
}

/** Counts of samples by op and outcome (`cc down 503: 12`), for messages and for checking that the outage was hit. */
export function tally(samples: Sample<Op>[], marks: OutageMarks): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of samples) {
    const key = `${sample.op} ${phaseOf(sample, marks)} ${sample.res?.status ?? 'none'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function hashOf(token: string): string {
  return sha256Hex(token);
}
