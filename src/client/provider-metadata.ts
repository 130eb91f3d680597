import { fetchJsonObject, UpstreamError } from '../internal/outbound-http.js';
import { isSafeServerUrl } from '../internal/url-rules.js';
import { OAuthClientError } from './oauth-client.error.js';
import type { ProviderEndpoints } from './oauth-client-options.interface.js';
import type { ResolvedProvider } from './resolve-oauth-client-options.js';

/** What the client knows about a provider: its issuer, endpoints, and the rest of its metadata document. */
export interface ProviderMetadata {
  issuer?: string;
  endpoints: ProviderEndpoints;
  /** The whole discovered document (empty when every endpoint was given by hand). */
  document: Readonly<Record<string, unknown>>;
}

const MEMBERS: Record<keyof ProviderEndpoints, string> = {
  token: 'token_endpoint',
  authorization: 'authorization_endpoint',
  userinfo: 'userinfo_endpoint',
  jwks: 'jwks_uri',
  revocation: 'revocation_endpoint',
};

const WELL_KNOWN = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

/**
 * Discovers a provider's metadata (OpenID Connect Discovery 1.0 section 4, RFC 8414 section 3): the OpenID document
 * first, the RFC 8414 one when that is missing; the document's `issuer` must be exactly the configured one (section
 * 4.3 / 3.3), its endpoint URLs https (http on loopback). Loaded once and kept; concurrent callers share the fetch;
 * a failure is retried by the next call. Endpoints given by hand win; with a token endpoint given and no issuer,
 * nothing is fetched.
 */
export class ProviderMetadataLoader {
  private loaded?: ProviderMetadata;
  private pending?: Promise<ProviderMetadata>;

  constructor(
    private readonly provider: ResolvedProvider,
    private readonly timeoutMs: number,
  ) {}

  load(): Promise<ProviderMetadata> {
    if (this.loaded) return Promise.resolve(this.loaded);
    this.pending ??= this.discover().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** An endpoint's URL, or `OAuthClientError` (`unavailable`) when the provider has none. */
  async endpoint(member: keyof ProviderEndpoints): Promise<string> {
    const url = (await this.load()).endpoints[member];
    if (!url) throw new OAuthClientError(this.provider.name, 'unavailable', `the provider has no ${MEMBERS[member]}`);
    return url;
  }

  private async discover(): Promise<ProviderMetadata> {
    const { issuer, endpoints } = this.provider;
    if (!issuer) return (this.loaded = { endpoints: { ...endpoints }, document: {} });
    const document = await this.fetchDocument(issuer);
    const discovered: ProviderEndpoints = {};
    for (const [member, name] of Object.entries(MEMBERS) as [keyof ProviderEndpoints, string][]) {
      const value = document[name];
      if (typeof value === 'string' && isSafeServerUrl(value)) discovered[member] = value;
    }
    return (this.loaded = { issuer, endpoints: { ...discovered, ...endpoints }, document });
  }

  private async fetchDocument(issuer: string): Promise<Record<string, unknown>> {
    let reason = 'could not be reached';
    for (const path of WELL_KNOWN) {
      try {
        const document = await fetchJsonObject(`${issuer}${path}`, {}, this.timeoutMs);
        if (document.issuer !== issuer) throw new UpstreamError('its metadata names another issuer');
        return document;
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        reason = error.reason;
        if (reason === 'its metadata names another issuer') break;
      }
    }
    throw new OAuthClientError(this.provider.name, 'unavailable', `discovery failed: ${reason}`);
  }
}
