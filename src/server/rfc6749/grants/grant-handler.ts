import { DiscoveryService } from '@nestjs/core';
import type { ClientAuthMethod } from '../../../options/auth-options.interface.js';
import type { ClientEntity } from '../../../persistence/entities/client.entity.js';
import type { FormParameters, ProtocolRequest } from '../token-request.js';

/** What a grant handler receives: an authenticated client and only the parameters it allowlists. */
export interface GrantContext {
  client: ClientEntity;
  authMethod: ClientAuthMethod;
  /** The request's form parameters, reduced to the handler's `parameters` allowlist. */
  params: FormParameters;
  request: ProtocolRequest;
  /**
   * RFC 9449: the thumbprint of the key of the request's valid DPoP proof, checked by the token endpoint; bind the
   * access token to it (`TokenService.issueAccessToken({ jkt })`, `token_type: 'DPoP'`). Undefined: no proof.
   */
  dpopJkt?: string;
}

/** A successful token response (RFC 6749 section 5.1); extra members are allowed. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  refresh_token?: string;
  scope?: string;
  [member: string]: unknown;
}

/**
 * One grant type of the token endpoint. Implement it in an `@Injectable()` class marked `@OAuthGrant()`
 * and list it among a module's providers: the token endpoint discovers it at boot.
 */
export interface GrantHandler {
  /** The `grant_type` value, e.g. `client_credentials` or a URN for an extension grant. */
  readonly grantType: string;
  /** Parameters this grant reads besides `grant_type` and client credentials; others are dropped. */
  readonly parameters: readonly string[];
  /** Whether public clients (`none` authentication) may use the grant. */
  readonly allowsPublicClients: boolean;
  /**
   * Whether the grant is offered. A grant whose host-side dependency is missing (token exchange without a policy) is
   * `false`: not dispatched, not advertised, not registrable.
   * @default true
   */
  readonly enabled?: boolean;
  handle(context: GrantContext): Promise<TokenResponse>;
}

/** Marks a provider as a `GrantHandler` for discovery by the token endpoint. */
export const OAuthGrant = DiscoveryService.createDecorator<void>();
