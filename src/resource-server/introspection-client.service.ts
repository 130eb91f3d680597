import { Inject, Injectable } from '@nestjs/common';
import { InvalidTokenError } from '../errors/bearer-errors.js';
import { Clock } from '../internal/clock.js';
import { sha256Hex } from '../internal/sha256.js';
import { TtlCache } from '../internal/ttl-cache.js';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { AUTH_RESOURCE_OPTIONS } from './auth-resource.module-definition.js';
import { toIntrospectedToken } from './introspection-response.js';
import { IssuerMetadataService } from './issuer-metadata.service.js';
import { fetchJsonObject, OutboundHealth, UpstreamError } from '../internal/outbound-http.js';
import type { ResolvedAuthResourceOptions } from './resolve-auth-resource-options.js';

type IntrospectionSettings = NonNullable<ResolvedAuthResourceOptions['introspection']>;

/** One value, `application/x-www-form-urlencoded` (RFC 6749 section 2.3.1 and Appendix B). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * Verifies opaque access tokens by RFC 7662 introspection at the issuer: `POST` of `token` and
 * `token_type_hint=access_token` with the resource server's client credentials. Active answers are cached by
 * the token's SHA-256 (never the token itself) until `min(now + introspection.cacheTtl, exp)`, in a cache of at
 * most `introspection.cacheSize` entries; concurrent requests with one token share one introspection. Inactive
 * answers are not cached. An endpoint that cannot answer is an `UpstreamError` (503), never an accepted token.
 */
@Injectable()
export class IntrospectionClient {
  private readonly cache: TtlCache<AccessTokenInfo>;
  private readonly pending = new Map<string, Promise<AccessTokenInfo>>();
  private readonly health = new OutboundHealth('Token introspection');

  constructor(
    @Inject(AUTH_RESOURCE_OPTIONS) private readonly options: ResolvedAuthResourceOptions,
    private readonly metadata: IssuerMetadataService,
    private readonly clock: Clock,
  ) {
    this.cache = new TtlCache(options.introspection?.cacheSize ?? 0, () => this.clock.now());
  }

  /** The verified token; `InvalidTokenError` when inactive or unusable (or without introspection configured). */
  verify(token: string): Promise<AccessTokenInfo> {
    const settings = this.options.introspection;
    if (!settings) return Promise.reject(new InvalidTokenError(this.options.realm));
    const key = sha256Hex(token);
    const cached = this.cache.get(key);
    if (cached) return Promise.resolve(cached);
    let result = this.pending.get(key);
    if (!result) {
      result = this.introspect(token, key, settings).finally(() => this.pending.delete(key));
      this.pending.set(key, result);
    }
    return result;
  }

  private async introspect(token: string, key: string, settings: IntrospectionSettings): Promise<AccessTokenInfo> {
    const endpoint = settings.endpoint ?? (await this.metadata.endpoint('introspection_endpoint', 'introspection.endpoint'));
    const form = new URLSearchParams({ token, token_type_hint: 'access_token' });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (settings.authMethod === 'client_secret_post') {
      form.set('client_id', settings.clientId);
      form.set('client_secret', settings.clientSecret);
    } else {
      const credentials = `${formEncode(settings.clientId)}:${formEncode(settings.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
    let answer: Record<string, unknown>;
    try {
      answer = await fetchJsonObject(endpoint, { method: 'POST', headers, body: form.toString() }, this.options.timeoutMs);
      this.health.succeeded();
    } catch (error) {
      if (error instanceof UpstreamError) this.health.failed(error);
      throw error;
    }
    const now = this.clock.now();
    const info = toIntrospectedToken(answer, { issuer: this.options.issuer, audience: this.options.audience, now });
    if (!info) throw new InvalidTokenError(this.options.realm);
    this.cache.set(key, info, Math.min(now + settings.cacheTtl * 1000, info.exp * 1000));
    return info;
  }
}
