import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, errors as joseErrors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { UpstreamError } from '../../internal/outbound-http.js';
import { fetchPublicJson } from '../../internal/public-fetch.js';
import { TtlCache } from '../../internal/ttl-cache.js';
import { jwksProblems } from '../../options/resolve-client-auth.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { ClientJwks } from '../../options/client-auth-options.interface.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** Resolves the key of a JWS from a key set (jose's `getKey` shape). */
export type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** Largest `jwks_uri` document read. */
const MAX_JWKS_BYTES = 64 * 1024;
/** Least milliseconds between two fetches of one `jwks_uri` caused by an unknown `kid`. */
const REFETCH_INTERVAL_MS = 60_000;
const CACHE_ENTRIES = 1_000;

interface CachedSet {
  keySet: ReturnType<typeof createLocalJWKSet>;
  /** When this document was fetched, or last tried again for an unknown `kid` (whether that worked or not). */
  checkedAt: number;
}

/**
 * The public keys a client verifies with (`private_key_jwt`; also a JWT bearer issuer's): its `jwks`, or its `jwks_uri` document,
 * fetched through the SSRF guard (`fetchPublicJson`: public addresses only unless `allowPrivateJwksUri`, 64 KiB,
 * `jwksTimeoutMs`, no redirects), kept `jwksCacheTtl` seconds and fetched again, at most once a minute, for an
 * unknown `kid`. A document with private or symmetric keys is refused. Failures resolve no key (the caller answers
 * `invalid_client`); they are logged without the document's content.
 */
@Injectable()
export class ClientKeys {
  private readonly logger = new AuthLogger();
  private readonly cache: TtlCache<CachedSet>;
  private readonly pending = new Map<string, Promise<CachedSet | undefined>>();

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clock: Clock,
  ) {
    this.cache = new TtlCache(CACHE_ENTRIES, () => this.clock.now());
  }

  /** A key resolver for a client (or a JWT bearer issuer), or undefined when it has no usable keys. */
  resolver(source: { jwks: ClientJwks | null; jwksUri: string | null }): KeyResolver | undefined {
    if (source.jwks) return jwksProblems(source.jwks).length === 0 ? createLocalJWKSet(source.jwks as unknown as JSONWebKeySet) : undefined;
    const uri = source.jwksUri;
    if (!uri) return undefined;
    return async (header, token) => {
      const cached = this.cache.get(uri) ?? (await this.fetch(uri));
      if (!cached) throw new joseErrors.JWKSNoMatchingKey();
      try {
        return await cached.keySet(header, token);
      } catch (error) {
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        // A failed refetch counts too: a broken jwks_uri is not tried again on every unknown kid.
        const inFlight = this.pending.get(uri);
        if (!inFlight && this.clock.now() - cached.checkedAt < REFETCH_INTERVAL_MS) throw error;
        cached.checkedAt = this.clock.now();
        const again = await (inFlight ?? this.fetch(uri));
        if (!again) throw error;
        return again.keySet(header, token);
      }
    };
  }

  private fetch(uri: string): Promise<CachedSet | undefined> {
    let pending = this.pending.get(uri);
    if (!pending) {
      pending = this.load(uri).finally(() => this.pending.delete(uri));
      this.pending.set(uri, pending);
    }
    return pending;
  }

  private async load(uri: string): Promise<CachedSet | undefined> {
    const { jwksTimeoutMs, jwksCacheTtl, allowPrivateJwksUri } = this.options.clientAssertions;
    try {
      const document = await fetchPublicJson(uri, { timeoutMs: jwksTimeoutMs, maxBytes: MAX_JWKS_BYTES, allowPrivate: allowPrivateJwksUri });
      if (jwksProblems(document).length > 0) throw new UpstreamError('answered with a document that is not a public JWK Set');
      const entry = { keySet: createLocalJWKSet(document as unknown as JSONWebKeySet), checkedAt: this.clock.now() };
      if (jwksCacheTtl > 0) this.cache.set(uri, entry, this.clock.now() + jwksCacheTtl * 1000);
      return entry;
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : 'could not be read';
      this.logger.warn(`A client's jwks_uri ${reason}`);
      return undefined;
    }
  }
}
