import fc from 'fast-check';
import { INTROSPECTOR, WEB } from '../grants/grant-helpers.js';
import { basic } from '../support/http.js';
import { OPAQUE, RP, TV } from './fuzz-app.js';
import { contentTypeChoice, fuzzBody, fuzzHeaders, fuzzParams, mostly, type FuzzRequest, type Param, type ParamSpec } from './requests.js';
import { credential, jwtGarbage, oddAuthorization, type CredentialRef, type FuzzValue } from './values.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How a request authenticates its client: an Authorization header, body parameters, or both (a conflict). */
export interface ClientAuth {
  authorization: FuzzValue[] | null;
  params: ParamSpec[];
}

const fixed = (value: string): fc.Arbitrary<FuzzValue> => fc.constant(value);

/**
 * Client authentication (RFC 6749 section 2.3.1, RFC 7523 section 2.2): mostly valid Basic credentials of `client`,
 * else the same in the body, a public client's id, wrong or malformed credentials, two methods at once, garbage
 * assertions, or nothing.
 */
export function clientAuthOf(client: { clientId: string; clientSecret?: string } = RP): fc.Arbitrary<ClientAuth> {
  const basicHeader: FuzzValue[] = [basic(client.clientId, client.clientSecret!)];
  const post: ParamSpec[] = [['client_id', mostly(fixed(client.clientId))], ['client_secret', mostly(fixed(client.clientSecret!))]];
  const assertion: ParamSpec[] = [['client_id', mostly(fixed(client.clientId))], ['client_assertion_type', mostly(fixed(CLIENT_ASSERTION_TYPE))], ['client_assertion', jwtGarbage]];
  const others: FuzzValue[][] = [[basic(WEB.id, WEB.secret!)], [basic(INTROSPECTOR.id, INTROSPECTOR.secret!)], [basic(OPAQUE.clientId, OPAQUE.clientSecret!)], [basic(client.clientId, 'wrong-secret')]];
  return fc.oneof(
    { arbitrary: fc.constant<ClientAuth>({ authorization: basicHeader, params: [] }), weight: 10 },
    { arbitrary: fc.constant<ClientAuth>({ authorization: null, params: post }), weight: 3 },
    { arbitrary: fc.constantFrom(TV.clientId, 'spa', 'unknown-client').map((id): ClientAuth => ({ authorization: null, params: [['client_id', mostly(fixed(id))]] })), weight: 2 },
    { arbitrary: fc.constantFrom(...others).map((authorization): ClientAuth => ({ authorization, params: [] })), weight: 2 },
    { arbitrary: oddAuthorization.map((value): ClientAuth => ({ authorization: [value], params: [] })), weight: 2 },
    { arbitrary: fc.constant<ClientAuth>({ authorization: basicHeader, params: post }), weight: 1 },
    { arbitrary: fc.constant<ClientAuth>({ authorization: null, params: assertion }), weight: 1 },
    { arbitrary: fc.constant<ClientAuth>({ authorization: null, params: [] }), weight: 1 },
  );
}

/** A bearer token header: one of the app's tokens (valid or spoiled), under Bearer or DPoP, or a malformed header. */
export function bearerAuthorization(refs: CredentialRef[]): fc.Arbitrary<FuzzValue[] | null> {
  const token = fc.constantFrom(...refs).chain((ref) => credential(ref));
  return fc.oneof(
    { arbitrary: token.map((value): FuzzValue[] => ['Bearer ', value]), weight: 5 },
    { arbitrary: token.map((value): FuzzValue[] => ['DPoP ', value]), weight: 1 },
    { arbitrary: jwtGarbage.map((jwt): FuzzValue[] => [`Bearer ${jwt}`]), weight: 1 },
    { arbitrary: oddAuthorization.map((value): FuzzValue[] => [value]), weight: 2 },
    { arbitrary: fc.constant(null), weight: 1 },
  );
}

/** The endpoint's method, and now and then another one. */
export function methodOf(main: string): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: fc.constant(main), weight: 12 }, { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), weight: 1 });
}

/** Names the extras of a request are drawn from: its own parameters (so they repeat) and the client's. */
export function namesOf(...lists: ParamSpec[][]): string[] {
  return [...new Set(lists.flat().map(([name]) => name))];
}

/** A random query string beside a body (most requests have none). */
const strayQuery = (names: readonly string[]): fc.Arbitrary<Param[]> =>
  fc.oneof({ arbitrary: fc.constant<Param[]>([]), weight: 6 }, { arbitrary: fuzzParams([], [], names), weight: 1 });

/** A form POST to `path` (back-channel endpoints): the endpoint's parameters and the client's authentication. */
export function formRequest(path: string, core: ParamSpec[], optional: ParamSpec[], auth: fc.Arbitrary<ClientAuth>, rare: ParamSpec[] = []): fc.Arbitrary<FuzzRequest> {
  return auth.chain(({ authorization, params }) => {
    const names = namesOf(core, optional, rare, params);
    return fc.record({
      method: methodOf('POST'),
      path: fc.constant(path),
      query: strayQuery(names),
      headers: fuzzHeaders(fc.constant(authorization)),
      body: fuzzBody(fuzzParams([...core, ...params], optional, names, rare)),
      contentType: contentTypeChoice,
    });
  });
}

/** A GET of `path` with the parameters in the query (and, now and then, a body as well). */
export function queryRequest(path: string, params: fc.Arbitrary<Param[]>, authorization: fc.Arbitrary<FuzzValue[] | null>): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: methodOf('GET'),
    path: fc.constant(path),
    query: params,
    headers: fuzzHeaders(authorization),
    body: fc.oneof({ arbitrary: fc.constant({ kind: 'none' as const }), weight: 6 }, { arbitrary: fuzzBody(params), weight: 1 }),
    contentType: contentTypeChoice,
  });
}

