/** An `act` or `may_act` claim (RFC 8693 sections 4.1 and 4.4): an object naming a party by `sub`. */
export interface StoredActorClaim {
  sub: string;
  [claim: string]: unknown;
}

/**
 * An `act` or `may_act` claim as stored with an access token (JSON text in the `act` / `may_act` columns): an object
 * with a string `sub`, else undefined (absent, or not a claim authnest wrote).
 */
export function storedActorClaim(json: string | null): StoredActorClaim | undefined {
  if (!json) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    const ok = typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as StoredActorClaim).sub === 'string';
    return ok ? (value as StoredActorClaim) : undefined;
  } catch {
    return undefined;
  }
}
