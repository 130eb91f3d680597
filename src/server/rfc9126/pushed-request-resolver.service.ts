import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientEntity } from '../../persistence/entities/client.entity.js';
import type { FormParameters } from '../rfc6749/token-request.js';
import { PushedRequests } from './pushed-requests.service.js';
import { isPushedRequestUri } from './request-uri.js';

/** Where the parameters of an authorization request come from. */
export type AuthorizationParameterSource =
  /** The request's own parameters (`pushed: false`), or those pushed earlier and named by `request_uri`. */
  | { kind: 'parameters'; params: FormParameters; pushed: boolean }
  /** A `request_uri` that cannot be used: shown as a page, never redirected (nothing about the client is verified yet). */
  | { kind: 'refused'; description: string };

const UNSUPPORTED = 'The request_uri is not supported: only a request_uri from the pushed authorization request endpoint is accepted (request_uri_not_supported).';
/** OpenID Connect Core section 6.1: a server without request objects refuses them, never ignores them. */
const REQUEST_OBJECT = 'Request objects (the request parameter) are not supported (request_not_supported).';
const INVALID = 'The request_uri is unknown, expired, already used or of another client (invalid_request_uri).';

/**
 * The authorization endpoint's side of RFC 9126 (section 4). With `request_uri`: a URN of the pushed authorization
 * request endpoint is used once, by the client named by `client_id`, before it expires, and its stored parameters
 * replace the request's (every other parameter is ignored); any other `request_uri` is refused without being fetched.
 * Without it, the parameters are the request's, and `unpushedRefusal` says whether the client had to push them.
 */
@Injectable()
export class PushedRequestResolver {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly requests: PushedRequests,
  ) {}

  async resolve(params: FormParameters): Promise<AuthorizationParameterSource> {
    if (params.request !== undefined) return { kind: 'refused', description: REQUEST_OBJECT };
    const requestUri = params.request_uri;
    if (requestUri === undefined) return { kind: 'parameters', params, pushed: false };
    if (!isPushedRequestUri(requestUri)) return { kind: 'refused', description: UNSUPPORTED };
    if (params.client_id === undefined) return { kind: 'refused', description: 'The request names no client (client_id is missing).' };
    const pushed = await this.requests.use(requestUri, params.client_id);
    return pushed ? { kind: 'parameters', params: pushed, pushed: true } : { kind: 'refused', description: INVALID };
  }

  /** Why a request that was not pushed is refused for `client` (`par.required`, or the client's own flag), or undefined. */
  unpushedRefusal(client: ClientEntity): string | undefined {
    if (!this.options.par.required && !client.requirePushedAuthorizationRequests) return undefined;
    return 'Authorization requests of this client must be pushed (RFC 9126 pushed authorization requests)';
  }
}
