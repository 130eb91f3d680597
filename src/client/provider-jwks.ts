import { createLocalJWKSet, errors as joseErrors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import type { Clock } from '../internal/clock.js';
import { fetchJsonObject, UpstreamError } from '../internal/outbound-http.js';
import { OAuthClientError } from './oauth-client.error.js';

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

/** Least milliseconds between two fetches caused by an unknown `kid`. */
const REFETCH_INTERVAL_MS = 60_000;

/**
 * A provider's JWK Set for ID token signatures: fetched on first use, kept, fetched again (at most once a minute)
 * when a token names a `kid` it does not have, so key rotation at the provider is followed. Token headers never
 * name where keys come from (`jku`, `x5u`, `jwk` are not followed).
 */
export class ProviderJwks {
  private keySet?: LocalKeySet;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<LocalKeySet>;

  constructor(
    private readonly provider: string,
    private readonly uri: () => Promise<string>,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {}

  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    const keySet = this.keySet ?? (await this.refresh());
    try {
      return await keySet(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey) || this.clock.now() - this.attemptedAt < REFETCH_INTERVAL_MS) throw error;
      return (await this.refresh())(header, token);
    }
  };

  private refresh(): Promise<LocalKeySet> {
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<LocalKeySet> {
    this.attemptedAt = this.clock.now();
    try {
      const document = await fetchJsonObject(await this.uri(), { headers: { accept: 'application/jwk-set+json, application/json' } }, this.timeoutMs);
      this.keySet = createLocalJWKSet(document as unknown as JSONWebKeySet);
      return this.keySet;
    } catch (error) {
      if (error instanceof OAuthClientError) throw error;
      const reason = error instanceof UpstreamError ? error.reason : 'answered with a document that is not a JWK Set';
      throw new OAuthClientError(this.provider, 'unavailable', `the JWKS ${reason}`);
    }
  }
}
