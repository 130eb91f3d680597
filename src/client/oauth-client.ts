import { formatScope } from '../internal/scope.js';
import type { Clock } from '../internal/clock.js';
import type { ProviderEndpoints } from './oauth-client-options.interface.js';
import { ProviderMetadataLoader, type ProviderMetadata } from './provider-metadata.js';
import type { ResolvedOAuthClientOptions, ResolvedProvider } from './resolve-oauth-client-options.js';
import { requestTokens, type ProviderTokens } from './token-request.js';

/** What to ask a client_credentials token for. */
export interface ClientCredentialsRequest {
  /** @default the provider's `scopes` */
  scopes?: readonly string[];
}

/** Options of `OAuthClient.fetch`. */
export interface AuthorizedFetchOptions extends ClientCredentialsRequest {}

/**
 * The client of one provider (`@InjectOAuthClient('name')`): its discovered metadata, client_credentials tokens
 * (RFC 6749 section 4.4) cached per scope set until `refreshSkew` seconds before they expire, one request in flight
 * per scope set however many callers wait, and `fetch` for calling the provider's APIs with such a token.
 */
export class OAuthClient {
  private readonly metadataLoader: ProviderMetadataLoader;
  private readonly cached = new Map<string, ProviderTokens>();
  private readonly inFlight = new Map<string, Promise<ProviderTokens>>();

  constructor(
    readonly provider: ResolvedProvider,
    private readonly options: ResolvedOAuthClientOptions,
    private readonly clock: Clock,
  ) {
    this.metadataLoader = new ProviderMetadataLoader(provider, options.timeoutMs);
  }

  /** The provider's name in the module options. */
  get name(): string {
    return this.provider.name;
  }

  /** The provider's metadata (discovered once; `OAuthClientError` with code `unavailable` when it cannot be). */
  metadata(): Promise<ProviderMetadata> {
    return this.metadataLoader.load();
  }

  /** An endpoint's URL (given or discovered), or `OAuthClientError` `unavailable` when the provider has none. */
  endpoint(member: keyof ProviderEndpoints): Promise<string> {
    return this.metadataLoader.endpoint(member);
  }

  /**
   * An access token for this app itself (client_credentials), from the cache while it has more than `refreshSkew`
   * seconds left. A provider's refusal is an `OAuthClientError` with its code (`invalid_client`, `invalid_scope`).
   */
  async clientCredentials(request: ClientCredentialsRequest = {}): Promise<ProviderTokens> {
    const scopes = [...new Set(request.scopes ?? this.provider.scopes)];
    const key = [...scopes].sort().join(' ');
    const cached = this.cached.get(key);
    if (cached && this.fresh(cached)) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.requestClientCredentials(scopes, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /**
   * `fetch` with `Authorization: Bearer <client_credentials token>`. On 401 the token is dropped from the cache and
   * the request is sent once more with a new one (bodies must be replayable: strings, `URLSearchParams`, buffers).
   */
  async fetch(url: string | URL, init: RequestInit = {}, options: AuthorizedFetchOptions = {}): Promise<Response> {
    const send = (token: ProviderTokens) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token.accessToken}`);
      return fetch(url, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(this.options.timeoutMs) });
    };
    const token = await this.clientCredentials(options);
    const first = await send(token);
    if (first.status !== 401) return first;
    await first.body?.cancel().catch(() => undefined);
    this.forget(token);
    return send(await this.clientCredentials(options));
  }

  private async requestClientCredentials(scopes: string[], key: string): Promise<ProviderTokens> {
    const endpoint = await this.endpoint('token');
    const params: Record<string, string> = { grant_type: 'client_credentials' };
    if (scopes.length > 0) params.scope = formatScope(scopes);
    const tokens = await requestTokens(this.provider, endpoint, params, this.options.timeoutMs, this.clock.now());
    if (tokens.expiresAt !== undefined && this.fresh(tokens)) this.cached.set(key, tokens);
    return tokens;
  }

  /** More than `refreshSkew` left (a token without `expires_in` is never cached). */
  private fresh(tokens: ProviderTokens): boolean {
    return tokens.expiresAt !== undefined && tokens.expiresAt - this.options.refreshSkew * 1000 > this.clock.now();
  }

  private forget(token: ProviderTokens): void {
    for (const [key, cached] of this.cached) if (cached === token) this.cached.delete(key);
  }
}
