import fc from 'fast-check';

/**
 * Credentials the fuzz app holds, resolved when a request is sent (fresh where single use): generated requests name
 * them so valid input reaches the deep code, not only the first check.
 */
export type CredentialRef =
  | 'access_token'
  | 'user_access_token'
  | 'opaque_token'
  | 'refresh_token'
  | 'code'
  | 'code_verifier'
  | 'device_code'
  | 'user_code'
  | 'request_uri'
  | 'id_token'
  | 'registration_token'
  | 'registered_client_id';

/** How a credential is spoiled before it is sent (`exact` keeps it valid). */
export type Tweak = 'exact' | 'truncated' | 'flipped' | 'suffixed' | 'upper' | 'doubled';

export interface CredentialValue {
  ref: CredentialRef;
  tweak: Tweak;
}

/** A parameter or header value: literal text, or a credential of the app. */
export type FuzzValue = string | CredentialValue;

export function credential(ref: CredentialRef): fc.Arbitrary<CredentialValue> {
  const tweak = fc.oneof({ arbitrary: fc.constant<Tweak>('exact'), weight: 5 }, { arbitrary: fc.constantFrom<Tweak>('truncated', 'flipped', 'suffixed', 'upper', 'doubled'), weight: 3 });
  return tweak.map((chosen) => ({ ref, tweak: chosen }));
}

export function applyTweak(value: string, tweak: Tweak): string {
  switch (tweak) {
    case 'exact':
      return value;
    case 'truncated':
      return value.slice(0, Math.max(0, value.length - 3));
    case 'flipped': {
      const at = Math.floor(value.length / 2);
      const char = value[at] === 'A' ? 'B' : 'A';
      return `${value.slice(0, at)}${char}${value.slice(at + 1)}`;
    }
    case 'suffixed':
      return `${value}\u0000x`;
    case 'upper':
      return value.toUpperCase();
    case 'doubled':
      return `${value} ${value}`;
  }
}

/** Texts parsers and lookups trip over: injection, control characters, broken escapes, unicode edge cases. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  '\r\n',
  'a\r\nX-Injected: 1',
  '\t',
  '%',
  '%zz',
  '%C3%28',
  '%E0%A4%A',
  '%00',
  '%FF%FE',
  '+',
  '&',
  '=',
  '__proto__',
  'constructor',
  'toString',
  '[]',
  '{}',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  "' OR 1=1 --",
  '"; DROP TABLE authnest_clients; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '../../../etc/passwd',
  'https://evil.test/cb',
  'javascript:alert(1)',
  'urn:ietf:params:oauth:request_uri:',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:token-type:access_token',
  '\uFEFFopenid',
  '\uD800',
  '\uFFFF',
  'ß\u0301',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u202Eevil',
  'openid openid',
  'a  b',
];

/** A short hostile or random value (at most a few hundred characters). */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ maxLength: 24 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  { arbitrary: fc.integer().map(String), weight: 1 },
);

/** A long value that still fits a URL and headers under the server's 16 kB header limit. */
export const longText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 257, max: 1200 }), fc.constantFrom('x', 'é', '%', 'a b', '\u0000'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

function b64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

const jwtHeader: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', '{}', '[]', '"x"', '{"alg":"none"}', '{"alg":"none","typ":"JWT"}', '{"alg":"HS256","typ":"dpop+jwt"}'),
  fc.record({
    alg: fc.constantFrom('ES256', 'RS256', 'PS256', 'EdDSA', 'HS256', 'none', 'NONE', 'ES999', ''),
    typ: fc.constantFrom('JWT', 'dpop+jwt', 'at+jwt', 'oauth-authz-req+jwt', 'x'),
    kid: fc.option(nastyText, { nil: undefined }),
    jwk: fc.option(fc.constantFrom<unknown>({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, { kty: 'oct', k: 'AA' }, { kty: 'RSA', n: 'AA', e: 'AQAB', d: 'AA' }, null, 'x'), { nil: undefined }),
    crit: fc.option(fc.constantFrom<unknown>(['exp'], [], 'b64', null), { nil: undefined }),
  }).map((header) => JSON.stringify(header)),
  fc.integer({ min: 4000, max: 8000 }).map((size) => JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', pad: 'p'.repeat(size) })),
);

const jwtPayload: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', '{}', '[]', '1', 'not json', '{"exp":"soon"}', '{"iss":null,"sub":{},"aud":[[]],"exp":1e309}'),
  fc.record({
    iss: fc.constantFrom('http://127.0.0.1', 'https://idp.test', 'web1', 'x', ''),
    sub: fc.constantFrom('web1', 'alice', 'user-alice', '', '__proto__'),
    aud: fc.constantFrom<unknown>('http://127.0.0.1', 'http://127.0.0.1/oauth/token', ['http://127.0.0.1'], 7),
    exp: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.constant(-1)),
    iat: fc.integer({ min: 0, max: 2 ** 40 }),
    jti: nastyText,
    htm: fc.constantFrom('POST', 'GET', 'post', ''),
    htu: fc.constantFrom('http://127.0.0.1/oauth/token', 'http://127.0.0.1/oauth/userinfo', 'http://127.0.0.1/api/a', 'x'),
    client_id: fc.constantFrom('web1', 'spa', 'x'),
    scope: fc.constantFrom('openid a', 'a', ''),
  }).map((payload) => JSON.stringify(payload)),
);

/**
 * JWT-shaped garbage: 1 to 6 segments, `null`/huge/alg-none headers, random claims, random or empty signatures, and
 * segments that are not base64url at all.
 */
export const jwtGarbage: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(jwtHeader, jwtPayload, fc.uint8Array({ maxLength: 80 }), fc.integer({ min: 2, max: 6 }))
    .map(([header, payload, signature, segments]) => {
      const parts = [b64url(header), b64url(payload), b64url(signature), b64url('{}'), b64url(signature), ''];
      return parts.slice(0, segments).join('.');
    }),
  fc.constantFrom('eyJ', 'eyJ.eyJ.', '..', '....', '.', 'a.b.c', 'e30.e30.', 'bnVsbA.bnVsbA.', '!!.@@.##', 'eyJhbGciOiJub25lIn0.e30.'),
  fc.tuple(fc.array(nastyText, { minLength: 1, maxLength: 5 })).map(([parts]) => parts.join('.')),
);

/** A header-safe rendering: fetch only sends ByteStrings without control characters (tab aside). */
export function headerSafe(value: string): string {
  return value.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '').replace(/[^\u0000-\u00ff]/g, '?').trim();
}

/** Authorization header values that are malformed in every way a parser can meet. */
export const oddAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Basic', 'Basic ', 'Basic =', 'Basic ====', 'Basic Og==', 'Basic OjpA', 'Bearer', 'Bearer ', 'DPoP', 'Negotiate YII=', 'Digest x', 'basic d2ViMTp4', 'BASIC d2ViMTp4'),
  nastyText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
  fc.tuple(nastyText, nastyText).map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`),
  fc.constant(`Basic ${Buffer.from([0xc3, 0x28, 0x3a, 0xff, 0xfe]).toString('base64')}`),
  jwtGarbage.map((jwt) => `Bearer ${jwt}`),
  jwtGarbage.map((jwt) => `DPoP ${jwt}`),
  fc.tuple(nastyText, nastyText).map(([scheme, rest]) => `${scheme} ${rest}`),
  fc.constantFrom('Basic a, Bearer b', 'Bearer a b c', 'Bearer  double-space', 'Bearer\ttab'),
);

/** Content types a body may claim, right or wrong. */
export const contentTypes: fc.Arbitrary<string | null> = fc.constantFrom(
  null,
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=UTF-8',
  'application/x-www-form-urlencoded; charset=iso-8859-1',
  'application/x-www-form-urlencoded; charset=utf-16',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/x-www-form-urlencoded;;;',
  'application/json',
  'application/json; charset=utf-8',
  'application/jwt',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=fuzz',
  'multipart/form-data',
  'application/octet-stream',
  'application/xml',
  '*/*',
  '',
  'x',
);
