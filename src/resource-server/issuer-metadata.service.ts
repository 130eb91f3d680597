import { Inject, Injectable } from '@nestjs/common';
import { isSafeServerUrl } from '../internal/url-rules.js';
import { AUTH_RESOURCE_OPTIONS } from './auth-resource.module-definition.js';
import { fetchJsonObject, OutboundHealth, UpstreamError } from '../internal/outbound-http.js';
import type { ResolvedAuthResourceOptions } from './resolve-auth-resource-options.js';

/** Endpoints a resource server may discover. */
export type DiscoverableEndpoint = 'jwks_uri' | 'introspection_endpoint';

/**
 * The issuer's authorization server metadata (RFC 8414), fetched from `${issuer}/.well-known/oauth-authorization-server`
 * the first time an endpoint is needed and kept for the life of the process. Its `issuer` must equal the
 * configured one (RFC 8414 section 3.3); a failed or refused fetch is retried by the next request that needs it.
 */
@Injectable()
export class IssuerMetadataService {
  private metadata?: Record<string, unknown>;
  private pending?: Promise<Record<string, unknown>>;
  private readonly health: OutboundHealth;

  constructor(@Inject(AUTH_RESOURCE_OPTIONS) private readonly options: ResolvedAuthResourceOptions) {
    this.health = new OutboundHealth(`Authorization server metadata ${options.metadataUrl}`);
  }

  /** The URL of an endpoint the issuer advertises; throws `UpstreamError` when it cannot be learned. */
  async endpoint(member: DiscoverableEndpoint, option: string): Promise<string> {
    const metadata = await this.load();
    const value = metadata[member];
    if (typeof value !== 'string' || !isSafeServerUrl(value)) {
      const error = new UpstreamError(`it advertises no usable ${member}; set ${option}`);
      this.health.failed(error);
      throw error;
    }
    return value;
  }

  private load(): Promise<Record<string, unknown>> {
    if (this.metadata) return Promise.resolve(this.metadata);
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetch(): Promise<Record<string, unknown>> {
    try {
      const metadata = await fetchJsonObject(this.options.metadataUrl, {}, this.options.timeoutMs);
      if (metadata.issuer !== this.options.issuer) throw new UpstreamError('its issuer differs from the issuer option');
      this.health.succeeded();
      this.metadata = metadata;
      return metadata;
    } catch (error) {
      if (error instanceof UpstreamError) this.health.failed(error);
      throw error;
    }
  }
}
