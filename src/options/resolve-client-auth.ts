import { isSafeServerUrl } from '../internal/url-rules.js';
import type { AuthModuleOptions, ClientAuthMethod, ClientSeed } from './auth-options.interface.js';
import type { ClientJwks } from './client-auth-options.interface.js';
import type { ResolvedClientAssertions, ResolvedJwtBearerIssuer } from './resolved-options.js';

/** Members of a JWK that only a private or symmetric key has (RFC 7518 section 6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const ASYMMETRIC_ALG = /^(?:[RP]S|ES)(?:256|384|512)$|^EdDSA$|^Ed25519$/;

/** The methods a seed gets when it names none. */
export function defaultAuthMethods(seed: ClientSeed): ClientAuthMethod[] {
  if (seed.clientSecret) return ['client_secret_basic'];
  return seed.jwks || seed.jwksUri ? ['private_key_jwt'] : ['none'];
}

/** Problems of a JWK Set given as a client's public keys (shape, key types, no private parts), as suffixes of its path (`: ...`, `.keys[0]: ...`). */
export function jwksProblems(jwks: unknown): string[] {
  const keys = (jwks as Partial<ClientJwks> | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return [': must be a JWK Set ({ keys: [...] }) with at least one key'];
  return keys.flatMap((key: unknown, index) => {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) return [`.keys[${index}]: must be a JWK object`];
    const jwk = key as Record<string, unknown>;
    if (!['RSA', 'EC', 'OKP'].includes(String(jwk.kty))) return [`.keys[${index}].kty: must be RSA, EC or OKP (a public key)`];
    const secret = PRIVATE_MEMBERS.filter((member) => member in jwk);
    return secret.length > 0 ? [`.keys[${index}]: must be a public key (has ${secret.join(', ')})`] : [];
  });
}

/**
 * The key material of a seed: `jwks` or `jwksUri` (not both, and only for `private_key_jwt`), and the signing
 * algorithm it is held to, which must suit the methods (HMAC for client_secret_jwt, asymmetric for private_key_jwt).
 */
export function resolveClientKeys(
  seed: ClientSeed,
  methods: readonly ClientAuthMethod[],
  path: string,
  problems: string[],
): { jwks?: ClientJwks; jwksUri?: string; tokenEndpointAuthSigningAlg?: string } {
  const keyed = methods.includes('private_key_jwt');
  if (seed.jwks !== undefined && seed.jwksUri !== undefined) problems.push(`${path}.jwksUri: give jwks or jwksUri, not both`);
  if (keyed && seed.jwks === undefined && seed.jwksUri === undefined) problems.push(`${path}.jwks: private_key_jwt needs jwks or jwksUri`);
  if (!keyed && (seed.jwks !== undefined || seed.jwksUri !== undefined)) problems.push(`${path}.authMethods: jwks and jwksUri are for private_key_jwt`);
  if (seed.jwks !== undefined) jwksProblems(seed.jwks).forEach((problem) => problems.push(`${path}.jwks${problem}`));
  if (seed.jwksUri !== undefined && !isSafeServerUrl(seed.jwksUri)) {
    problems.push(`${path}.jwksUri: must be an https URL (http only on a loopback host) without query or fragment`);
  }
  const alg = seed.tokenEndpointAuthSigningAlg;
  if (alg !== undefined) {
    const hmac = alg.startsWith('HS');
    if (hmac ? !methods.includes('client_secret_jwt') : !keyed || !ASYMMETRIC_ALG.test(alg)) {
      problems.push(`${path}.tokenEndpointAuthSigningAlg: ${alg} does not suit ${methods.join(', ')}`);
    }
  }
  return { jwks: seed.jwks, jwksUri: seed.jwksUri, tokenEndpointAuthSigningAlg: alg };
}

export function resolveClientAssertions(raw: AuthModuleOptions): ResolvedClientAssertions {
  const options = raw.clientAssertions;
  return {
    maxLifetime: options?.maxLifetime ?? 300,
    jwksCacheTtl: options?.jwksCacheTtl ?? 300,
    jwksTimeoutMs: options?.jwksTimeoutMs ?? 2500,
    allowPrivateJwksUri: options?.allowPrivateJwksUri ?? false,
  };
}

/** The JWT bearer grant's trusted issuers: each with `jwks` or `jwksUri` (not both), distinct, known clients only. */
export function resolveJwtBearerIssuers(raw: AuthModuleOptions, clientIds: ReadonlySet<string>, problems: string[]): ResolvedJwtBearerIssuer[] {
  const seen = new Set<string>();
  return (raw.jwtBearer?.issuers ?? []).map((entry, index) => {
    const path = `jwtBearer.issuers[${index}]`;
    if (seen.has(entry.issuer)) problems.push(`${path}.issuer: '${entry.issuer}' is listed twice`);
    seen.add(entry.issuer);
    if ((entry.jwks === undefined) === (entry.jwksUri === undefined)) problems.push(`${path}: give jwks or jwksUri (one of them)`);
    if (entry.jwks !== undefined) jwksProblems(entry.jwks).forEach((problem) => problems.push(`${path}.jwks${problem}`));
    if (entry.jwksUri !== undefined && !isSafeServerUrl(entry.jwksUri)) {
      problems.push(`${path}.jwksUri: must be an https URL (http only on a loopback host) without query or fragment`);
    }
    (entry.clients ?? []).filter((id) => !clientIds.has(id)).forEach((id) => problems.push(`${path}.clients: '${id}' is not in clients`));
    return { issuer: entry.issuer, jwks: entry.jwks ?? null, jwksUri: entry.jwksUri ?? null, clients: entry.clients };
  });
}
