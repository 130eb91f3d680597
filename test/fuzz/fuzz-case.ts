import { expect } from 'vitest';
import { browserRefused, expectBearerAnswer, expectBrowserAnswer, expectNoFault, expectProtocolAnswer } from './invariants.js';
import { changedTables, EXPECTED_CHANGES, expectUnchanged, snapshotDatabase, type ExpectedChange } from './db-snapshot.js';
import { REGISTERED_URIS, type FuzzApp } from './fuzz-app.js';
import { FUZZ_LOG } from './fuzz-config.js';
import { REGISTERED_CLIENT, sendFuzz, type Body, type FuzzRequest, type Param, type Placeholders, type SentRequest } from './requests.js';
import type { TestResponse } from '../support/http.js';
import type { CredentialRef, CredentialValue, FuzzValue } from './values.js';

/** Node's default `maxHeaderSize`. */
const HEAD_LIMIT = 16 * 1024;

/** Which family of answers an endpoint owes (see invariants.ts); UserInfo owes both the protocol and the bearer ones. */
export type EndpointKind = 'protocol' | 'bearer' | 'userinfo' | 'browser' | 'discovery';

export interface CaseOptions {
  kind: EndpointKind;
  /**
   * The methods the endpoint is routed for. Others get the router's 404 (or 405), which authnest leaves to the host
   * app's own handling on every path (`protocolErrorOf`): checked for no 5xx, no leak and no change only.
   */
  methods: readonly string[];
  /** Tables this endpoint may change even when it refuses (rate-limit counters; see `EXPECTED_CHANGES`). */
  allowed?: readonly ExpectedChange[];
  /** Headers of the browser sending it (its cookies). */
  extraHeaders?: Record<string, string>;
  /** Values of this run the request names as `{name}` (see `Placeholders`). */
  placeholders?: Placeholders;
  /** The endpoint never writes: the database is compared after every request, not only after refusals. */
  readOnly?: boolean;
  /** Whether the endpoint refused the request, where its status does not say (a login page shown again). */
  refused?: (response: TestResponse) => boolean;
}

/** What a refusal may spend when the request carried the credential unspoiled (see `EXPECTED_CHANGES`). */
const SPENT_BY_REFUSAL: Partial<Record<CredentialRef, readonly ExpectedChange[]>> = {
  code: [EXPECTED_CHANGES.codes, EXPECTED_CHANGES.accessTokens, EXPECTED_CHANGES.refreshTokens],
  refresh_token: [EXPECTED_CHANGES.refreshTokens, EXPECTED_CHANGES.accessTokens],
  device_code: [EXPECTED_CHANGES.deviceCodes],
  request_uri: [EXPECTED_CHANGES.pushedRequests],
};

function valuesOf(params: readonly Param[]): FuzzValue[] {
  return params.map((param) => param.value);
}

function bodyValues(body: Body): FuzzValue[] {
  return 'params' in body ? valuesOf(body.params) : [];
}

/** The credentials a request names, so they are issued before the database is read. */
function credentialsOf(spec: FuzzRequest): CredentialValue[] {
  const values = [...valuesOf(spec.query), ...spec.headers.flatMap(([, parts]) => parts), ...bodyValues(spec.body)];
  const refs = values.filter((value): value is CredentialValue => typeof value !== 'string');
  const document = spec.body.kind === 'document' ? JSON.stringify(spec.body.value) ?? '' : '';
  if (spec.path.includes(REGISTERED_CLIENT) || document.includes(REGISTERED_CLIENT)) refs.push({ ref: 'registered_client_id', tweak: 'exact' });
  return refs;
}

/**
 * What Nest's default handling of the host app's routes repeats of the input: its 404 the method and URL ("Cannot
 * PATCH /oauth/token?..."), Express's JSON parser the start of the body ("Unexpected token 'n', \"null\" is not
 * valid JSON"). authnest's own endpoints answer neither (see `OAuthExceptionFilter`); the rest is still checked.
 */
function maskHostEcho(text: string): string {
  return text.replace(/Cannot [A-Z]+ [^"]*/g, 'Cannot <echo>').replace(/"message":"(?:Unexpected token|Unexpected end|Bad control character|Expected)[^"\\]*(?:\\.[^"\\]*)*"/g, '"message":"<parser>"');
}

/** Nest's default 400 for a body the platform's parser refused on a host route: `{message, error: 'Bad Request'}`. */
function isHostParserRefusal(res: TestResponse): boolean {
  return res.status === 400 && res.body.statusCode === 400 && res.body.error === 'Bad Request' && typeof res.body.message === 'string';
}

/**
 * Sends one generated request and checks every property: never 5xx or leaked internals, the endpoint's answer shape,
 * and, when it was refused, an unchanged database (but for what `allowed` and the credentials it spent permit).
 */
export async function checkFuzzRequest(f: FuzzApp, spec: FuzzRequest, options: CaseOptions): Promise<SentRequest> {
  const resolve = f.credentials.resolver();
  const credentials = credentialsOf(spec);
  for (const value of credentials) await resolve(value);
  const before = await snapshotDatabase(f.t.app);
  const started = performance.now();
  const sent = await sendFuzz(f.t.url, spec, resolve, { extraHeaders: options.extraHeaders, placeholders: options.placeholders });
  if (FUZZ_LOG) console.info(`[fuzz] ${Math.round(performance.now() - started)} ms\n${sent.summary}\n`);
  const after = await snapshotDatabase(f.t.app);
  const { response, summary } = sent;
  if (response.status === 431) {
    // Node's limit (16 kB of request line and headers), answered before the app: only the longest heads may meet it.
    expect(sent.headBytes, summary).toBeGreaterThan(HEAD_LIMIT - 1024);
  } else if (!options.methods.includes(spec.method)) {
    // Routed nowhere: the router's 404, or a body parser's refusal before routing; the host app's handling either way.
    // Nest's 404 echoes the method and URL ("Cannot PATCH /oauth/token?..."): that echo of the input is left out.
    expectNoFault({ ...response, text: maskHostEcho(response.text) }, summary);
    expect(response.status, summary).toBeGreaterThanOrEqual(400);
  } else if (options.kind === 'bearer' && isHostParserRefusal(response)) {
    // The host's own route, and a body its platform's parser refused before any guard ran: Nest's default answer.
    expectNoFault({ ...response, text: maskHostEcho(response.text) }, summary);
  } else if (options.kind === 'protocol') expectProtocolAnswer(response, summary);
  else if (options.kind === 'bearer') expectBearerAnswer(response, summary);
  else if (options.kind === 'userinfo') {
    expectProtocolAnswer(response, summary);
    expectBearerAnswer(response, summary);
  }
  else if (options.kind === 'browser') expectBrowserAnswer(response, summary, f.t.issuer, REGISTERED_URIS);
  else expectNoFault(response, summary);
  const refused = options.refused ? options.refused(response) : options.kind === 'browser' ? browserRefused(response) : response.status >= 400;
  if (refused || options.readOnly) {
    const spent = credentials.filter((value) => value.tweak === 'exact').flatMap((value) => SPENT_BY_REFUSAL[value.ref] ?? []);
    expectUnchanged(before, after, [...(options.allowed ?? []), ...spent], summary);
  }
  if (changedTables(before, after).length > 0) f.credentials.stale();
  return sent;
}
