import fc from 'fast-check';
import { request, type TestResponse } from '../support/http.js';
import { contentTypes, headerSafe, jwtGarbage, longText, nastyText, type CredentialValue, type FuzzValue } from './values.js';

/** One parameter; `raw` ones are written into the query or form without any escaping (broken escapes, `&`, `=`). */
export interface Param {
  name: string;
  value: FuzzValue;
  raw: boolean;
}

/** What a request's body is made of. */
export type Body =
  | { kind: 'none' }
  | { kind: 'form'; params: Param[]; junk: string[]; charset: 'utf8' | 'latin1' }
  | { kind: 'json'; params: Param[]; shape: 'object' | 'arrays' | 'nested' | 'scalar' | 'broken' }
  | { kind: 'multipart'; params: Param[] }
  | { kind: 'text'; params: Param[] }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'oversized'; params: Param[]; size: number }
  /** A JSON document (registration metadata); the text `{registered_client_id}` in it is replaced by that credential. */
  | { kind: 'document'; value: unknown };

/** A generated HTTP request: credentials are named, not embedded, and resolved when it is sent. */
export interface FuzzRequest {
  method: string;
  path: string;
  query: Param[];
  headers: [string, FuzzValue[]][];
  body: Body;
  /** `auto`: the body kind's own content type; otherwise this one (null: none at all). */
  contentType: string | null | 'auto';
}

/** Stands for the dynamically registered client's id in a path or a JSON document. */
export const REGISTERED_CLIENT = '{registered_client_id}';

/** A parameter of a well-formed request and the values it takes. */
export type ParamSpec = [name: string, value: fc.Arbitrary<FuzzValue>];

/** Resolves a credential of the app, fresh where it is single use. */
export type Resolve = (value: CredentialValue) => Promise<string>;

/**
 * Values of one run that no generator can know (a page's CSRF token, an interaction's URL), written as `{name}` in
 * paths, parameters and headers and replaced when the request is sent.
 */
export type Placeholders = Readonly<Record<string, string>>;

function fill(text: string, placeholders: Placeholders): string {
  let filled = text;
  for (const [name, value] of Object.entries(placeholders)) filled = filled.replaceAll(`{${name}}`, value);
  return filled;
}

const STRUCTURED = ['[]', '[0]', '[a]', '[a][b][c]', '[__proto__]', '.x', '[]=', '['];

/** A parameter outside the well-formed request: a known name again (duplicate), a structured name, or garbage. */
function extraParam(names: readonly string[]): fc.Arbitrary<Param> {
  const name = fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...names), fc.constantFrom(...STRUCTURED)).map(([base, suffix]) => `${base}${suffix}`), weight: 2 },
    { arbitrary: nastyText, weight: 1 },
  );
  const value = fc.oneof({ arbitrary: nastyText, weight: 4 }, { arbitrary: longText, weight: 1 }, { arbitrary: jwtGarbage, weight: 1 });
  return fc.record({ name, value: value as fc.Arbitrary<FuzzValue>, raw: fc.boolean() });
}

/** A value that is usually the given one, sometimes hostile. */
export function mostly(valid: fc.Arbitrary<FuzzValue>): fc.Arbitrary<FuzzValue> {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: nastyText, weight: 2 }, { arbitrary: longText, weight: 1 }, { arbitrary: jwtGarbage, weight: 1 });
}

/**
 * Parameters of an endpoint. Mostly a near-miss: every `core` parameter, some `optional` ones and at most one `rare`
 * one (each value mostly valid) with at most one extra, so the request gets past the parser into the endpoint's own checks; otherwise chaos:
 * any subset of both and up to four extras (duplicates, `x[]`, `x[a]`, garbage names), a few written raw.
 */
export function fuzzParams(core: ParamSpec[], optional: ParamSpec[], names: readonly string[], rare: ParamSpec[] = []): fc.Arbitrary<Param[]> {
  const raw = fc.oneof({ arbitrary: fc.constant(false), weight: 8 }, { arbitrary: fc.constant(true), weight: 1 });
  const render = (chosen: ParamSpec[]) => fc.tuple(...chosen.map(([name, value]): fc.Arbitrary<Param> => fc.record({ name: fc.constant(name), value, raw })));
  const picked = fc.tuple(fc.subarray(optional), fc.subarray(rare, { maxLength: Math.min(1, rare.length) })).map(([some, one]) => [...core, ...some, ...one]);
  const nearMiss = fc.tuple(picked.chain(render), fc.array(extraParam(names), { maxLength: 1 }));
  const chaos = fc.tuple(fc.subarray([...core, ...optional, ...rare]).chain(render), fc.array(extraParam(names), { maxLength: 4 }));
  return fc.oneof({ arbitrary: nearMiss, weight: 3 }, { arbitrary: chaos, weight: 1 }).map(([wellFormed, extras]) => [...wellFormed, ...extras]);
}

/** Raw fragments appended to a form now and then: empty pairs, bare `=`, broken escapes, structured names. */
const formJunk: fc.Arbitrary<string[]> = fc.oneof(
  { arbitrary: fc.constant<string[]>([]), weight: 4 },
  { arbitrary: fc.array(fc.constantFrom('&', '&&', '=', '==x', '%', '%zz', '%C3%28', '%00', 'a[b]=c', 'x[]=1&x[]=2', '+'), { minLength: 1, maxLength: 3 }), weight: 1 },
);

/** A body carrying `params` in one of the ways a client (or an attacker) may send them, oversized ones included. */
export function fuzzBody(params: fc.Arbitrary<Param[]>): fc.Arbitrary<Body> {
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('form' as const), params, junk: formJunk, charset: fc.constantFrom('utf8' as const, 'utf8' as const, 'latin1' as const) }), weight: 30 },
    { arbitrary: fc.record({ kind: fc.constant('json' as const), params, shape: fc.constantFrom('object' as const, 'arrays' as const, 'nested' as const, 'scalar' as const, 'broken' as const) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('multipart' as const), params }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('text' as const), params }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 200 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('oversized' as const), params, size: fc.constantFrom(90_000, 110_000, 1_100_000, 2_200_000) }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
  );
}

/** Request headers: the given Authorization choices, sometimes a DPoP header, and up to three odd or huge others. */
export function fuzzHeaders(authorization: fc.Arbitrary<FuzzValue[] | null>): fc.Arbitrary<[string, FuzzValue[]][]> {
  const other = fc.oneof(
    fc.tuple(fc.constantFrom('origin', 'cookie', 'x-forwarded-for', 'forwarded', 'accept', 'accept-charset', 'x-http-method-override', 'user-agent', 'referer', 'transfer-encoding-x'), nastyText),
    fc.tuple(fc.constantFrom('x-fuzz-big', 'cookie', 'accept'), fc.integer({ min: 1000, max: 6000 }).map((size) => 'h'.repeat(size))),
    fc.tuple(fc.constantFrom('dpop', 'DPoP'), jwtGarbage),
  );
  return fc
    .tuple(authorization, fc.option(jwtGarbage, { freq: 6 }), fc.oneof({ arbitrary: fc.constant<[string, string][]>([]), weight: 2 }, { arbitrary: fc.array(other, { minLength: 1, maxLength: 3 }), weight: 1 }))
    .map(([auth, dpop, others]) => [
      ...(auth ? [['authorization', auth] as [string, FuzzValue[]]] : []),
      ...(dpop === null ? [] : [['dpop', [dpop]] as [string, FuzzValue[]]]),
      ...others.map(([name, value]): [string, FuzzValue[]] => [name, [value]]),
    ]);
}

/** An override of the body's content type, now and then. */
export const contentTypeChoice: fc.Arbitrary<string | null | 'auto'> = fc.oneof({ arbitrary: fc.constant('auto' as const), weight: 10 }, { arbitrary: contentTypes, weight: 1 });

/** How one request's values are made: its credentials and its placeholders. */
interface Filler {
  resolve: Resolve;
  placeholders: Placeholders;
}

async function text(value: FuzzValue, filler: Filler): Promise<string> {
  return typeof value === 'string' ? fill(value, filler.placeholders) : filler.resolve(value);
}

async function resolved(params: Param[], filler: Filler): Promise<{ name: string; value: string; raw: boolean }[]> {
  return Promise.all(params.map(async (param) => ({ ...param, name: fill(param.name, filler.placeholders), value: await text(param.value, filler) })));
}

/** Percent-encodes text as UTF-8 (a lone surrogate, which has no UTF-8 form, becomes U+FFFD as a browser sends it). */
function escape(value: string): string {
  return encodeURIComponent(Buffer.from(value, 'utf8').toString('utf8'));
}

function encodeParams(params: { name: string; value: string; raw: boolean }[], junk: string[] = []): string {
  const pairs = params.map(({ name, value, raw }) => (raw ? `${name}=${value}` : `${escape(name)}=${escape(value)}`));
  return [...pairs, ...junk].join('&');
}

/** The bytes of a body and its natural content type. */
async function bodyBytes(body: Body, filler: Filler): Promise<{ bytes?: Buffer; type: string | null }> {
  switch (body.kind) {
    case 'none':
      return { type: null };
    case 'bytes':
      return { bytes: Buffer.from(body.bytes), type: null };
    case 'document': {
      const json = JSON.stringify(body.value) ?? 'null';
      const id = json.includes(REGISTERED_CLIENT) ? await filler.resolve({ ref: 'registered_client_id', tweak: 'exact' }) : '';
      return { bytes: Buffer.from(json.replaceAll(REGISTERED_CLIENT, id)), type: 'application/json' };
    }
    case 'form':
      return { bytes: Buffer.from(encodeParams(await resolved(body.params, filler), body.junk), body.charset), type: 'application/x-www-form-urlencoded' };
    case 'text':
      return { bytes: Buffer.from(encodeParams(await resolved(body.params, filler))), type: 'text/plain' };
    case 'oversized': {
      const form = encodeParams(await resolved(body.params, filler));
      return { bytes: Buffer.from(`${form}&padding=${'p'.repeat(body.size)}`), type: 'application/x-www-form-urlencoded' };
    }
    case 'multipart': {
      const parts = (await resolved(body.params, filler)).map(({ name, value }) => `--fuzz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
      return { bytes: Buffer.from(`${parts.join('')}--fuzz--\r\n`), type: 'multipart/form-data; boundary=fuzz' };
    }
    case 'json': {
      const params = await resolved(body.params, filler);
      if (body.shape === 'broken') return { bytes: Buffer.from(`{"${params[0]?.name ?? 'x'}":`), type: 'application/json' };
      if (body.shape === 'scalar') return { bytes: Buffer.from(JSON.stringify(params[0]?.value ?? null)), type: 'application/json' };
      const wrap = (value: string): unknown => (body.shape === 'arrays' ? [value] : body.shape === 'nested' ? { x: value } : value);
      const object: Record<string, unknown> = {};
      for (const { name, value } of params) Object.defineProperty(object, name, { value: wrap(value), enumerable: true, configurable: true, writable: true });
      return { bytes: Buffer.from(JSON.stringify(object)), type: 'application/json' };
    }
  }
}

/** What an HTML page says (its heading and messages), or the text as it is. */
function pageText(text: string): string {
  if (!text.startsWith('<!DOCTYPE html>')) return text;
  return [...text.matchAll(/<(h1|p)[^>]*>([^<]*)</g)].map((match) => match[2]).join(' | ');
}

/** A sent request, for failure messages: enough to see what broke, short enough to read. */
export interface SentRequest {
  summary: string;
  response: TestResponse;
  /** Bytes of the request line and the headers we set (the server refuses more than 16 kB with 431). */
  headBytes: number;
}

/** Resolves a generated request's credentials and placeholders and sends it; `extraHeaders` (a browser's cookies) come first. */
export async function sendFuzz(
  baseUrl: string,
  spec: FuzzRequest,
  resolve: Resolve,
  { extraHeaders = {}, placeholders = {} }: { extraHeaders?: Record<string, string>; placeholders?: Placeholders } = {},
): Promise<SentRequest> {
  const filler: Filler = { resolve, placeholders };
  let path = fill(spec.path, placeholders);
  if (path.includes(REGISTERED_CLIENT)) path = path.replace(REGISTERED_CLIENT, escape(await resolve({ ref: 'registered_client_id', tweak: 'exact' })));
  const query = encodeParams(await resolved(spec.query, filler));
  const { bytes, type } = await bodyBytes(spec.body, filler);
  const headers = new Headers(extraHeaders);
  const contentType = spec.contentType === 'auto' ? type : spec.contentType;
  if (contentType !== null) headers.set('content-type', contentType);
  for (const [name, values] of spec.headers) {
    const value = headerSafe((await Promise.all(values.map((v) => text(v, filler)))).join(''));
    headers.append(name, value);
  }
  const url = `${baseUrl}${path}${query ? `?${query}` : ''}`;
  const withBody = bytes !== undefined && spec.method !== 'GET' && spec.method !== 'HEAD';
  const shown = (value: string) => (value.length > 400 ? `${value.slice(0, 400)}...(${value.length} chars)` : value);
  const head = [`${spec.method} ${shown(`${path}${query ? `?${query}` : ''}`)}`, ...[...headers].map(([name, value]) => `${name}: ${shown(value)}`)];
  const response = await request(url, { method: spec.method, headers, ...(withBody ? { body: bytes } : {}) }).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error);
    throw new Error(`the request failed without an answer (${cause}):\n${head.join('\n')}`);
  });
  // As sent: the request target as the URL parser encodes it (spaces, `[`, non-ASCII become %XX), then the headers.
  const target = new URL(url);
  const headBytes = Buffer.byteLength(`${spec.method} ${target.pathname}${target.search} HTTP/1.1`) + [...headers].reduce((sum, [name, value]) => sum + name.length + Buffer.byteLength(value, 'latin1') + 4, 0);
  const summary = [
    ...head,
    withBody ? `body(${spec.body.kind}, ${bytes.length} bytes): ${shown(bytes.toString('latin1'))}` : 'no body',
    `-> ${response.status} ${response.headers.get('location') ?? ''} ${shown(pageText(response.text))}`,
  ].join('\n');
  return { summary, response, headBytes };
}
