import { fetchJsonObject, UpstreamError } from '../../internal/outbound-http.js';
import { OAuthClientError } from '../oauth-client.error.js';

/**
 * GETs the provider's UserInfo (OpenID Connect Core section 5.3) with the access token; the answer must be a JSON
 * object with a `sub`. A 401 (the token was refused, RFC 6750 section 3.1) is `OAuthClientError` `invalid_token`;
 * any other failure is `unavailable`.
 */
export async function fetchUserInfo(provider: string, url: string, accessToken: string, timeoutMs: number): Promise<Record<string, unknown>> {
  try {
    const claims = await fetchJsonObject(url, { headers: { authorization: `Bearer ${accessToken}` } }, timeoutMs);
    if (typeof claims.sub !== 'string') throw new UpstreamError('answered without sub');
    return claims;
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 401) throw new OAuthClientError(provider, 'invalid_token', 'UserInfo refused the access token', 401);
    if (error instanceof UpstreamError) throw new OAuthClientError(provider, 'unavailable', `UserInfo ${error.reason}`);
    throw error;
  }
}
