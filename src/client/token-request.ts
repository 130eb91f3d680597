import { exchangeJson, UpstreamError } from '../internal/outbound-http.js';
import { CLIENT_ASSERTION_TYPE, clientAssertion, secretClientAssertion } from './client-assertion.js';
import { parseScope } from '../internal/scope.js';
import { OAuthClientError } from './oauth-client.error.js';
import type { ResolvedProvider } from './resolve-oauth-client-options.js';

/** A token response (RFC 6749 section 5.1) as the client keeps it. */
export interface ProviderTokens {
  accessToken: string;
  tokenType: 'Bearer';
  /** When the access token expires (ms since the epoch), if the provider said (`expires_in`). */
  expiresAt?: number;
  /** The granted scopes: the response's `scope`, or the requested ones when it has none (section 5.1). */
  scopes: string[];
  refreshToken?: string;
  idToken?: string;
  /** Every member of the response. */
  raw: Readonly<Record<string, unknown>>;
}

/** RFC 6749 section 2.3.1 and Appendix B: each half form-encoded, then base64 of `id:secret`. */
function basicCredentials(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/**
 * POSTs a token request with the provider's client authentication (`client_secret_basic`, `client_secret_post`,
 * `client_secret_jwt`, `private_key_jwt` or `none`) and reads the answer: 200 with a Bearer `access_token`, or the provider's error (RFC 6749 section 5.2) as an
 * `OAuthClientError` with its code. Anything else (down, slow, not JSON, another token type) is `unavailable`.
 */
export async function requestTokens(
  provider: ResolvedProvider,
  tokenEndpoint: string,
  params: Record<string, string>,
  timeoutMs: number,
  now: number,
): Promise<ProviderTokens> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (provider.authMethod === 'client_secret_basic') headers.authorization = basicCredentials(provider.clientId, provider.clientSecret!);
  else form.set('client_id', provider.clientId);
  if (provider.authMethod === 'client_secret_post') form.set('client_secret', provider.clientSecret!);
  if (provider.authMethod === 'private_key_jwt' || provider.authMethod === 'client_secret_jwt') {
    form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
    const assertion =
      provider.authMethod === 'private_key_jwt'
        ? await clientAssertion(provider.name, provider.clientId, provider.privateKey!, tokenEndpoint, now)
        : await secretClientAssertion(provider.clientId, provider.clientSecret!, tokenEndpoint, now);
    form.set('client_assertion', assertion);
  }
  let answer: { status: number; json: Record<string, unknown> };
  try {
    answer = await exchangeJson(tokenEndpoint, { method: 'POST', headers, body: form.toString() }, timeoutMs, (status) => status === 200 || (status >= 400 && status < 500));
  } catch (error) {
    if (error instanceof UpstreamError) throw new OAuthClientError(provider.name, 'unavailable', `the token endpoint ${error.reason}`);
    throw error;
  }
  const { status, json } = answer;
  if (status !== 200) {
    const code = typeof json.error === 'string' && /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(json.error) ? json.error : 'invalid_response';
    const description = typeof json.error_description === 'string' ? json.error_description.slice(0, 300) : undefined;
    throw new OAuthClientError(provider.name, code, description, status);
  }
  return readTokenResponse(provider.name, json, params.scope, now);
}

function readTokenResponse(name: string, json: Record<string, unknown>, requestedScope: string | undefined, now: number): ProviderTokens {
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, scope, refresh_token: refreshToken, id_token: idToken } = json;
  if (typeof accessToken !== 'string' || accessToken.length === 0) throw new OAuthClientError(name, 'unavailable', 'the token response has no access_token');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw new OAuthClientError(name, 'unavailable', 'the token response is not of token_type Bearer');
  }
  const scopes = parseScope(typeof scope === 'string' ? scope : (requestedScope ?? '')) ?? [];
  const tokens: ProviderTokens = { accessToken, tokenType: 'Bearer', scopes, raw: json };
  if (typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0) tokens.expiresAt = now + expiresIn * 1000;
  if (typeof refreshToken === 'string') tokens.refreshToken = refreshToken;
  if (typeof idToken === 'string') tokens.idToken = idToken;
  return tokens;
}
