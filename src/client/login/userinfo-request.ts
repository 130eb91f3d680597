import { fetchJsonObject, UpstreamError } from '../../internal/outbound-http.js';
import { OAuthClientError } from '../oauth-client.error.js';

/** GETs the provider's UserInfo (OpenID Connect Core section 5.3) with the access token; the answer must be a JSON object with a `sub`. */
export async function fetchUserInfo(provider: string, url: string, accessToken: string, timeoutMs: number): Promise<Record<string, unknown>> {
  try {
    const claims = await fetchJsonObject(url, { headers: { authorization: `Bearer ${accessToken}` } }, timeoutMs);
    if (typeof claims.sub !== 'string') throw new UpstreamError('answered without sub');
    return claims;
  } catch (error) {
    if (error instanceof UpstreamError) throw new OAuthClientError(provider, 'unavailable', `UserInfo ${error.reason}`);
    throw error;
  }
}
