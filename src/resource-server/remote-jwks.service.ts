import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, errors as joseErrors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import { Clock } from '../internal/clock.js';
import { AUTH_RESOURCE_OPTIONS } from './auth-resource.module-definition.js';
import { IssuerMetadataService } from './issuer-metadata.service.js';
import { fetchJsonObject, OutboundHealth, UpstreamError } from '../internal/outbound-http.js';
import type { ResolvedAuthResourceOptions } from './resolve-auth-resource-options.js';

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/**
 * The issuer's JWK Set, fetched from `jwks.uri` (or the discovered `jwks_uri`) and cached:
 * - the set is used for `jwks.cacheTtl`; the first token after that fetches it again, and when that fetch fails
 *   the token is not verified (503): a key is never trusted longer than `cacheTtl` after it was last seen;
 * - a token whose `kid` is not in the set causes a refetch only when no fetch started in the last
 *   `jwks.refetchInterval` (so made-up `kid`s cost a handful of fetches, not one each);
 * - concurrent needs share one fetch in flight.
 * Keys are matched by `kid` and `alg` only among the fetched ones (jose's local set: public keys, `use` sig);
 * `jku`, `x5u`, `jwk` and `x5c` headers are never followed. Written on `Clock` rather than jose's
 * `createRemoteJWKSet`, whose cooldown runs on `Date.now()` from the last *successful* fetch (an issuer that is
 * down would be asked once per unknown-kid token) and whose responses have no size cap.
 */
@Injectable()
export class RemoteJwksService {
  private keySet?: LocalKeySet;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<LocalKeySet>;
  private readonly health: OutboundHealth;

  constructor(
    @Inject(AUTH_RESOURCE_OPTIONS) private readonly options: ResolvedAuthResourceOptions,
    private readonly metadata: IssuerMetadataService,
    private readonly clock: Clock,
  ) {
    this.health = new OutboundHealth(`JWKS fetch from ${options.jwks.uri ?? 'the discovered jwks_uri'}`);
  }

  /** A jose key resolver: the key for a token's header, or jose's `JWKSNoMatchingKey`; `UpstreamError` when unreachable. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    const fresh = this.keySet && this.clock.now() < this.fetchedAt + this.options.jwks.cacheTtl * 1000;
    const keySet = fresh ? this.keySet! : await this.refresh();
    try {
      return await keySet(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      const next = this.pending ?? (this.mayRefetch() ? this.refresh() : undefined);
      if (!next) throw error;
      return (await next)(header, token);
    }
  };

  private mayRefetch(): boolean {
    return this.clock.now() - this.attemptedAt >= this.options.jwks.refetchInterval * 1000;
  }

  private refresh(): Promise<LocalKeySet> {
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<LocalKeySet> {
    this.attemptedAt = this.clock.now();
    const uri = this.options.jwks.uri ?? (await this.metadata.endpoint('jwks_uri', 'jwks.uri'));
    try {
      const document = await fetchJsonObject(uri, { headers: { accept: 'application/jwk-set+json, application/json' } }, this.options.timeoutMs);
      let keySet: LocalKeySet;
      try {
        keySet = createLocalJWKSet(document as unknown as JSONWebKeySet);
      } catch {
        throw new UpstreamError('answered with a document that is not a JWK Set');
      }
      this.keySet = keySet;
      this.fetchedAt = this.clock.now();
      this.health.succeeded();
      return keySet;
    } catch (error) {
      if (error instanceof UpstreamError) this.health.failed(error);
      throw error;
    }
  }
}
