import { InvalidRequestError } from '../../errors/oauth-errors.js';
import {
  InvalidClientMetadataError,
  InvalidRedirectUriError,
  InvalidSoftwareStatementError,
  UnapprovedSoftwareStatementError,
} from '../../errors/registration-errors.js';
import type { ClientJwks } from '../../options/client-auth-options.interface.js';
import { singleHeader, type ProtocolRequest } from '../rfc6749/token-request.js';

/**
 * Client metadata as sent (RFC 7591 section 2, OpenID Connect Dynamic Client Registration 1.0 section 2, RP-Initiated
 * and Back-Channel Logout), with each member's JSON type checked. `null` and `""` count as absent (RFC 7592 section
 * 2.2: an omitted member is a request to delete it). Members authnest does not know are ignored (RFC 7591 section 2).
 */
export interface RequestedMetadata {
  redirect_uris?: string[];
  token_endpoint_auth_method?: string;
  grant_types?: string[];
  response_types?: string[];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  tos_uri?: string;
  policy_uri?: string;
  contacts?: string[];
  scope?: string;
  jwks_uri?: string;
  jwks?: ClientJwks;
  software_id?: string;
  software_version?: string;
  token_endpoint_auth_signing_alg?: string;
  application_type?: string;
  post_logout_redirect_uris?: string[];
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  subject_type?: string;
  sector_identifier_uri?: string;
  id_token_signed_response_alg?: string;
  /** RFC 9126 section 6. */
  require_pushed_authorization_requests?: boolean;
  /** RFC 9449 section 5.2. */
  dpop_bound_access_tokens?: boolean;
}

/** The informational members kept as registered and returned, never acted on. */
export const INFORMATION_MEMBERS = ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'contacts', 'software_id', 'software_version'] as const;

/** Members of the client information response that the server manages (RFC 7592 section 2.2: a PUT must not send them). */
export const SERVER_MANAGED_MEMBERS = ['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'];

/**
 * Members whose feature authnest does not implement: registering one (with a value other than the default) is
 * `invalid_client_metadata` rather than a silently ignored expectation (encrypted or signed responses, request
 * objects, front-channel logout, default `max_age` and `acr_values`, sender-constrained tokens).
 */
const UNSUPPORTED_MEMBERS = [
  'id_token_encrypted_response_alg',
  'id_token_encrypted_response_enc',
  'userinfo_signed_response_alg',
  'userinfo_encrypted_response_alg',
  'userinfo_encrypted_response_enc',
  'request_object_signing_alg',
  'request_object_encryption_alg',
  'request_object_encryption_enc',
  'request_uris',
  'authorization_signed_response_alg',
  'authorization_encrypted_response_alg',
  'authorization_encrypted_response_enc',
  'introspection_signed_response_alg',
  'frontchannel_logout_uri',
  'default_max_age',
  'default_acr_values',
  'tls_client_auth_subject_dn',
];
/** Boolean members that ask for an unsupported feature when true. */
const UNSUPPORTED_FLAGS = ['require_signed_request_object', 'tls_client_certificate_bound_access_tokens'];

const MAX_LIST = 20;
const MAX_TEXT = 255;
const MAX_URL = 2048;
const MAX_JWKS_JSON = 16 * 1024;
/** No C0/C1 control characters or DEL in a text member. */
const PRINTABLE = /^[^\u0000-\u001F\u007F-\u009F]*$/;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const invalid = (member: string, why: string) => new InvalidClientMetadataError(`Invalid ${member}: ${why}`);

/** The JSON object of a registration or update request: `application/json` only (415 otherwise), an object (400). */
export function readJsonObject(request: ProtocolRequest): Record<string, unknown> {
  const contentType = singleHeader(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') throw new InvalidRequestError('The request body must be application/json', { status: 415 });
  // Express parses an empty JSON body as `{}`: the declared length tells them apart.
  if (singleHeader(request, 'content-length') === '0') throw new InvalidRequestError('The request body is empty');
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

function member(body: Record<string, unknown>, name: string): unknown {
  const value = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
  return value === null || value === '' ? undefined : value;
}

function text(body: Record<string, unknown>, name: string, max = MAX_TEXT): string | undefined {
  const value = member(body, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(name, 'must be a string');
  if (value.length > max || !PRINTABLE.test(value)) throw invalid(name, `must be printable text of at most ${max} characters`);
  return value;
}

function list(body: Record<string, unknown>, name: string, error = invalid, max = MAX_TEXT): string[] | undefined {
  const value = member(body, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw error(name, 'must be an array of strings');
  if (value.length > MAX_LIST) throw error(name, `must list at most ${MAX_LIST} values`);
  if ((value as string[]).some((item) => item.length === 0 || item.length > max || !PRINTABLE.test(item))) {
    throw error(name, `values must be printable text of 1 to ${max} characters`);
  }
  return [...new Set(value as string[])];
}

function flag(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = member(body, name);
  if (value !== undefined && typeof value !== 'boolean') throw invalid(name, 'must be a boolean');
  return value;
}

function jwksMember(body: Record<string, unknown>): ClientJwks | undefined {
  const value = member(body, 'jwks');
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('jwks', 'must be a JWK Set object');
  if (JSON.stringify(value).length > MAX_JWKS_JSON) throw invalid('jwks', `must be at most ${MAX_JWKS_JSON} bytes of JSON`);
  return value as ClientJwks;
}

/** `software_statement` (RFC 7591 section 2.3): not accepted, since no trusted signer can be configured. */
function refuseSoftwareStatement(body: Record<string, unknown>): void {
  const statement = member(body, 'software_statement');
  if (statement === undefined) return;
  if (typeof statement !== 'string' || !COMPACT_JWS.test(statement)) throw new InvalidSoftwareStatementError('The software_statement must be a signed JWT');
  throw new UnapprovedSoftwareStatementError();
}

function refuseUnsupported(body: Record<string, unknown>): void {
  const asked = UNSUPPORTED_MEMBERS.find((name) => member(body, name) !== undefined) ?? UNSUPPORTED_FLAGS.find((name) => member(body, name) === true);
  if (asked) throw invalid(asked, 'this server does not support it');
  UNSUPPORTED_FLAGS.forEach((name) => flag(body, name));
}

/** Reads the metadata members of a request body, checking JSON types and sizes only (the rules come after). */
export function readRequestedMetadata(body: Record<string, unknown>): RequestedMetadata {
  refuseSoftwareStatement(body);
  refuseUnsupported(body);
  const redirectError = (name: string, why: string) => new InvalidRedirectUriError(`Invalid ${name}: ${why}`);
  return {
    redirect_uris: list(body, 'redirect_uris', redirectError, MAX_URL),
    token_endpoint_auth_method: text(body, 'token_endpoint_auth_method'),
    grant_types: list(body, 'grant_types'),
    response_types: list(body, 'response_types'),
    client_name: text(body, 'client_name'),
    client_uri: text(body, 'client_uri', MAX_URL),
    logo_uri: text(body, 'logo_uri', MAX_URL),
    tos_uri: text(body, 'tos_uri', MAX_URL),
    policy_uri: text(body, 'policy_uri', MAX_URL),
    contacts: list(body, 'contacts'),
    scope: text(body, 'scope', 4096),
    jwks_uri: text(body, 'jwks_uri', MAX_URL),
    jwks: jwksMember(body),
    software_id: text(body, 'software_id'),
    software_version: text(body, 'software_version'),
    token_endpoint_auth_signing_alg: text(body, 'token_endpoint_auth_signing_alg'),
    application_type: text(body, 'application_type'),
    post_logout_redirect_uris: list(body, 'post_logout_redirect_uris', redirectError, MAX_URL),
    backchannel_logout_uri: text(body, 'backchannel_logout_uri', MAX_URL),
    backchannel_logout_session_required: flag(body, 'backchannel_logout_session_required'),
    subject_type: text(body, 'subject_type'),
    sector_identifier_uri: text(body, 'sector_identifier_uri', MAX_URL),
    id_token_signed_response_alg: text(body, 'id_token_signed_response_alg'),
    require_pushed_authorization_requests: flag(body, 'require_pushed_authorization_requests'),
    dpop_bound_access_tokens: flag(body, 'dpop_bound_access_tokens'),
  };
}
