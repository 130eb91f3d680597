import { MalformedBearerRequestError } from '../errors/bearer-errors.js';
import type { RequestWithToken } from './request-token.js';

/** RFC 6750 section 2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 8192;

/** Node's `IncomingMessage` view of the headers: Express's request itself, Fastify's `request.raw`. */
interface NodeHeaders {
  headersDistinct?: Record<string, string[] | undefined>;
}

/**
 * The Authorization header of a request, as an array when it was sent more than once: Node keeps only the
 * first line of a repeated Authorization header in `headers`, `headersDistinct` keeps every line.
 */
export function authorizationHeader(request: RequestWithToken & NodeHeaders & { raw?: NodeHeaders }): string | string[] | undefined {
  const lines = (request.raw ?? request).headersDistinct?.authorization;
  return lines && lines.length > 1 ? lines : request.headers.authorization;
}

/**
 * Reads the bearer token from the Authorization header only (query and body tokens are ignored,
 * OAuth 2.1 section 5.1). Returns undefined when no bearer credentials were sent; throws 400
 * `invalid_request` for a malformed header.
 */
export function extractBearerToken(header: string | string[] | undefined, realm: string): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new MalformedBearerRequestError(realm, 'The Authorization header is repeated');
  const match = /^bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!match) return undefined;
  const token = match[1]?.trim() ?? '';
  if (token === '' || token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) {
    throw new MalformedBearerRequestError(realm, 'The Authorization header is malformed');
  }
  return token;
}
