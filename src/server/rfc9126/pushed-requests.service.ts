import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { PushedRequestStore } from '../../persistence/stores/pushed-request.store.js';
import type { FormParameters } from '../rfc6749/token-request.js';
import { newRequestUri, referenceHashOf } from './request-uri.js';

/** The pushed authorization response (RFC 9126 section 2.2). */
export interface PushedAuthorizationResponse {
  request_uri: string;
  expires_in: number;
}

/** A stored parameter object: strings only (anything else is not a request this server stored). */
function parametersOf(json: string): FormParameters | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') return undefined;
    params[name] = value;
  }
  return params;
}

/**
 * Pushed authorization requests (RFC 9126): stored for `par.ttl` seconds under the SHA-256 of a 256-bit random
 * reference, bound to the client that pushed them, and used once (section 7.3).
 */
@Injectable()
export class PushedRequests {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly store: PushedRequestStore,
    private readonly clock: Clock,
  ) {}

  /** Stores validated parameters of `clientId` and resolves the response that names them. */
  async push(clientId: string, parameters: FormParameters): Promise<PushedAuthorizationResponse> {
    const { requestUri, referenceHash } = newRequestUri();
    const now = this.clock.now();
    const { ttl } = this.options.par;
    await this.store.insert({ referenceHash, clientId, parameters: JSON.stringify(parameters), createdAt: now, expiresAt: now + ttl * 1000, consumedAt: null });
    return { request_uri: requestUri, expires_in: ttl };
  }

  /**
   * The parameters behind `requestUri` when `clientId` pushed it, it has not expired and was not used; using it is
   * atomic across instances. Undefined otherwise (the same answer for every reason).
   */
  async use(requestUri: string, clientId: string): Promise<FormParameters | undefined> {
    const referenceHash = referenceHashOf(requestUri);
    if (!referenceHash) return undefined;
    const row = await this.store.consume(referenceHash, clientId, this.clock.now());
    return row ? parametersOf(row.parameters) : undefined;
  }
}
