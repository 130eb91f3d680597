import type { HeaderObject, SchemaObject } from '@nestjs/swagger';
import { DPOP_NONCE_HEADER } from '../errors/dpop-errors.js';
import { OAuthError, type OAuthErrorBody, type OAuthErrorCode } from '../errors/oauth-error.js';
import { InvalidClientError, ServerError } from '../errors/oauth-errors.js';
import { StorageUnavailableError } from '../errors/storage-unavailable.js';
import type { ResponseDoc } from './openapi-operation.js';

/** The issuer the examples use (the realm of challenges is the issuer unless `resource.realm` says otherwise). */
export const EXAMPLE_ISSUER = 'https://auth.example.com';

/** An error response body (RFC 6749 section 5.2, RFC 6750 section 3, RFC 7591 section 3.2.2). */
export const OAUTH_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  title: 'OAuthError',
  description: 'An error code and a fixed description (never echoed input). A request without any token at a bearer endpoint gets `error_description` alone (RFC 6750 section 3.1).',
  properties: {
    error: { type: 'string', description: 'The error code (RFC 6749 section 5.2 and the RFC of the endpoint).' },
    error_description: { type: 'string', description: 'Human-readable text for the developer.' },
    error_uri: { type: 'string', format: 'uri' },
  },
};

const header = (description: string, example: string): HeaderObject => ({ description, schema: { type: 'string', example } });

/** `Cache-Control: no-store` and `Pragma: no-cache`: on every answer of the back-channel endpoints (RFC 6749 section 5.1). */
export const NO_STORE_HEADERS: Record<string, HeaderObject> = {
  'Cache-Control': header('Never cached: the answer holds credentials or facts about a token.', 'no-store'),
  Pragma: header('For HTTP/1.0 caches.', 'no-cache'),
};

/** What the headers of error answers mean. */
const HEADER_DESCRIPTIONS: Record<string, string> = {
  'WWW-Authenticate': 'The challenge of the failed authentication (RFC 6749 section 5.2, RFC 6750 section 3).',
  'Retry-After': 'Seconds to wait before the same request is sent again.',
  [DPOP_NONCE_HEADER]: 'The nonce to put in the next DPoP proof (RFC 9449 section 8).',
};

/** One example error answer of an endpoint. */
export interface ErrorExample {
  status: number;
  summary: string;
  body: OAuthErrorBody;
  /** Headers the answer carries besides `NO_STORE_HEADERS` (their example values). */
  headers?: Readonly<Record<string, string>>;
}

/** The example of an error as the exception filter sends it: status, body and the error's own headers. */
export function fromError(error: OAuthError, summary: string): ErrorExample {
  const headers = Object.keys(error.headers).length > 0 ? { headers: error.headers } : {};
  return { status: error.status, summary, body: error.toJSON(), ...headers };
}

/** An error example with a description written where the server throws it (the e2e suite checks it is the same). */
export function oauthError(code: OAuthErrorCode, description: string, summary: string, status = 400, headers?: Record<string, string>): ErrorExample {
  return fromError(new OAuthError(code, description, { status, ...(headers ? { headers } : {}) }), summary);
}

/** `invalid_client` after a failed authentication; the Basic challenge when the client used the Authorization header. */
export const INVALID_CLIENT = fromError(
  new InvalidClientError('Client authentication failed', { basicChallenge: true, realm: EXAMPLE_ISSUER }),
  'Client authentication failed (unknown client, wrong secret or assertion, method not registered for the client); `WWW-Authenticate: Basic` when the client used HTTP Basic or sent no credentials',
);

/** A body that is not form-encoded. */
export const NOT_FORM_ENCODED = oauthError('invalid_request', 'The request body must be application/x-www-form-urlencoded', 'The body is not form-encoded');

/** A parameter sent twice (only `resource` may be repeated). */
export const REPEATED_PARAMETER = oauthError('invalid_request', 'The parameter scope is repeated', 'A parameter is repeated (only `resource` may be)');

/** 503 when the storage is down, locked or out of connections. */
export const STORAGE_UNAVAILABLE = fromError(new StorageUnavailableError(), 'The database is unreachable, locked or out of connections: nothing was done; send the same request again later');

/** 500 for anything unexpected: no internals. */
export const SERVER_ERROR = fromError(new ServerError(), 'An unexpected failure (logged by its name only)');

/** The key of an example in its response: the error code, numbered when a status has several of one code. */
function exampleKey(example: ErrorExample, taken: Set<string>): string {
  const code = example.body.error ?? 'no_error_code';
  let key = code;
  for (let n = 2; taken.has(key); n += 1) key = `${code}_${n}`;
  taken.add(key);
  return key;
}

/** Error examples grouped by status into responses, each with the error schema and the headers its examples use. */
export function errorResponses(examples: readonly ErrorExample[]): ResponseDoc[] {
  const byStatus = new Map<number, ErrorExample[]>();
  for (const example of examples) byStatus.set(example.status, [...(byStatus.get(example.status) ?? []), example]);
  return [...byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, group]) => {
      const taken = new Set<string>();
      const headers: Record<string, HeaderObject> = { ...NO_STORE_HEADERS };
      for (const example of group) {
        for (const [name, value] of Object.entries(example.headers ?? {})) {
          headers[name] = header(HEADER_DESCRIPTIONS[name] ?? name, value);
        }
      }
      return {
        status,
        description: group.map((example) => `- \`${example.body.error ?? 'no error code'}\`: ${example.summary}`).join('\n'),
        schema: OAUTH_ERROR_SCHEMA,
        examples: Object.fromEntries(group.map((example) => [exampleKey(example, taken), { summary: example.summary, value: example.body }])),
        headers,
      };
    });
}
