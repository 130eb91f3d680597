/** How the benchmark server runs, from its environment (the runner sets these). */
export interface BenchSettings {
  platform: 'express' | 'fastify';
  port: number;
  /** BENCH_SIGNING_ALG: the algorithm of JWT access tokens. */
  signingAlgorithm: 'ES256' | 'RS256';
  /** BENCH_TOKEN_TTL: access-token lifetime in seconds (short in the soak, so purges have rows to remove). */
  accessTokenTtl: number;
  /** BENCH_PURGE_INTERVAL: seconds between purges of expired rows. */
  purgeInterval: number;
  /** BENCH_OPAQUE_CACHE_TTL: seconds a verified opaque token is remembered by the guard (the revocation bound). */
  opaqueCacheTtl: number;
  /** BENCH_CLIENT_CACHE_TTL: seconds a client's row is reused to authenticate it (the bound for changes made elsewhere). */
  clientCacheTtl: number;
  /** BENCH_FAST_PATH=1: `fastPath: true` (back-channel requests to the token, introspection and revocation endpoints answered ahead of the platform). */
  fastPath: boolean;
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

export function benchSettings(): BenchSettings {
  const platform = process.env.BENCH_PLATFORM === 'express' ? 'express' : 'fastify';
  const signingAlgorithm = process.env.BENCH_SIGNING_ALG === 'RS256' ? 'RS256' : 'ES256';
  return {
    platform,
    port: integer('PORT', 3100),
    signingAlgorithm,
    accessTokenTtl: integer('BENCH_TOKEN_TTL', 3600),
    purgeInterval: integer('BENCH_PURGE_INTERVAL', 3600),
    opaqueCacheTtl: integer('BENCH_OPAQUE_CACHE_TTL', 5),
    clientCacheTtl: integer('BENCH_CLIENT_CACHE_TTL', 5),
    fastPath: process.env.BENCH_FAST_PATH === '1',
  };
}
