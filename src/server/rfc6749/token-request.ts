import { InvalidRequestError } from '../../errors/oauth-errors.js';

/** Parameters of a form-encoded request: each present at most once (`REPEATABLE_PARAMETERS` joined), empty values treated as absent. */
export type FormParameters = Readonly<Record<string, string>>;

/** The parts of an HTTP request the protocol core reads (Express and Fastify requests both fit). */
export interface ProtocolRequest {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body?: unknown;
}

const MAX_PARAMETER_LENGTH = 8192;

/**
 * Parameters that may be repeated (RFC 8707 section 2: `resource`). Their values are kept joined by single spaces
 * (split them with `repeatedValues`); a value containing a space is malformed, since no valid one does.
 */
export const REPEATABLE_PARAMETERS: ReadonlySet<string> = new Set(['resource']);

/** The values of a repeatable parameter (see `REPEATABLE_PARAMETERS`), in order; [] when absent. */
export function repeatedValues(params: FormParameters, name: string): string[] {
  return params[name]?.split(' ') ?? [];
}

/**
 * Adds one value of a parameter to `params`: a repeated parameter outside `REPEATABLE_PARAMETERS`, a structured one
 * or an oversized value is `invalid_request`; empty values count as absent.
 */
export function addParameter(params: Record<string, string>, name: string, value: unknown, repeated: boolean): void {
  const repeatable = REPEATABLE_PARAMETERS.has(name);
  if (repeated && !repeatable) throw new InvalidRequestError(`The parameter ${safeName(name)} is repeated`);
  // Express's parser turns `a[b]=c` into an object; Fastify's keeps the name `a[b]`: both are structured.
  if (typeof value !== 'string' || /[[\]]/.test(name)) throw new InvalidRequestError(`The parameter ${safeName(name)} is malformed`);
  if (value.length > MAX_PARAMETER_LENGTH) throw new InvalidRequestError(`The parameter ${safeName(name)} is too long`);
  if (repeatable && value.includes(' ')) throw new InvalidRequestError(`The parameter ${safeName(name)} is malformed`);
  if (value === '') return;
  const joined = params[name] === undefined ? value : `${params[name]} ${value}`;
  if (joined.length > MAX_PARAMETER_LENGTH) throw new InvalidRequestError(`The parameter ${safeName(name)} is too long`);
  params[name] = joined;
}

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
 * `application/x-www-form-urlencoded`; a repeated (outside `REPEATABLE_PARAMETERS`) or structured parameter
 * (`a=1&a=2`, `a[b]=c`) is `invalid_request`; empty values count as absent. Query parameters are never read.
 */
export function readFormParameters(request: ProtocolRequest): FormParameters {
  if (!isFormEncoded(request)) {
    throw new InvalidRequestError('The request body must be application/x-www-form-urlencoded');
  }
  const body = request.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('The request body could not be parsed');
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const repeated = Array.isArray(value);
    for (const item of repeated ? (value as unknown[]) : [value]) addParameter(params, name, item, repeated);
  }
  return params;
}

/**
 * Parameter names are echoed in descriptions only when they are short plain identifiers; a structured one by its
 * base (`scope[x]` is `scope`, as Express's parser names it).
 */
function safeName(name: string): string {
  const base = name.split('[')[0]!;
  return /^[A-Za-z0-9_.-]{1,64}$/.test(base) ? base : '(unnamed)';
}
