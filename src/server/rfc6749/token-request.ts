import { InvalidRequestError } from '../../errors/oauth-errors.js';

/** Parameters of a form-encoded request: each present at most once, empty values treated as absent. */
export type FormParameters = Readonly<Record<string, string>>;

/** The parts of an HTTP request the protocol core reads (Express and Fastify requests both fit). */
export interface ProtocolRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body?: unknown;
}

const MAX_PARAMETER_LENGTH = 8192;

/** The single value of a header, or undefined; a repeated header is a malformed request. */
export function singleHeader(request: ProtocolRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) throw new InvalidRequestError(`The ${name} header is repeated`);
  return value;
}

/** True when the Content-Type is `application/x-www-form-urlencoded` (parameters such as charset allowed). */
export function isFormEncoded(request: ProtocolRequest): boolean {
  const contentType = singleHeader(request, 'content-type');
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Reads the form body of a back-channel request (RFC 6749 section 3.2): only
 * `application/x-www-form-urlencoded`; a repeated or structured parameter (`a=1&a=2`, `a[b]=c`) is
 * `invalid_request`; empty values count as absent. Query parameters are never read.
 */
export function readFormParameters(request: ProtocolRequest): FormParameters {
  if (!isFormEncoded(request)) {
    throw new InvalidRequestError('The request body must be application/x-www-form-urlencoded');
  }
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('The request body could not be parsed');
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new InvalidRequestError(`The parameter ${safeName(name)} is repeated`);
    // Express's parser turns `a[b]=c` into an object; Fastify's keeps the name `a[b]`: both are structured.
    if (typeof value !== 'string' || /[[\]]/.test(name)) throw new InvalidRequestError(`The parameter ${safeName(name)} is malformed`);
    if (value.length > MAX_PARAMETER_LENGTH) throw new InvalidRequestError(`The parameter ${safeName(name)} is too long`);
    if (value !== '') params[name] = value;
  }
  return params;
}

/** Parameter names are echoed in descriptions only when they are short plain identifiers. */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : '(unnamed)';
}
