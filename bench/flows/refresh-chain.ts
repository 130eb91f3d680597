import { runCodeFlow, tokenRequest } from './code-flow.js';
import { loadLoop, type FlowMeasurement } from './flow-load.js';

/** One refresh-token family, owned by one virtual user: the token to present next. */
export interface RefreshChain {
  refreshToken: string;
}

/**
 * One rotation: POST /oauth/token grant_type=refresh_token with the chain's current token (client_secret_basic as
 * bench-web). The response must be 200 Bearer with an access_token and a new refresh_token different from the old
 * one, which becomes the chain's token.
 *
 * @throws Error naming what was wrong; the chain is left unchanged
 */
export async function refreshStep(base: string, chain: RefreshChain, options: { timeoutMs?: number } = {}): Promise<void> {
  const old = chain.refreshToken;
  const body = `grant_type=refresh_token&refresh_token=${encodeURIComponent(old)}`;
  const json = await tokenRequest(base, body, 'refresh', AbortSignal.timeout(options.timeoutMs ?? 10_000));
  if (typeof json.access_token !== 'string' || json.access_token === '') throw new Error('refresh: no access_token');
  const next = json.refresh_token;
  if (typeof next !== 'string' || next === '') throw new Error('refresh: no refresh_token (not rotated)');
  if (next === old) throw new Error('refresh: refresh_token not rotated (same token back)');
  chain.refreshToken = next;
}

/**
 * The refresh-rotation scenario: `concurrency` virtual users, each first logging in once (runCodeFlow, not timed)
 * and then rotating its own chain back to back for `seconds`. A failed rotation leaves a chain that may be dead
 * (a token the server already rotated is a replay, and revokes the family), so after a failure the user logs in
 * again for a fresh chain before its next step; that time is not counted in any latency.
 *
 * @throws Error when a first login fails (nothing is measured then)
 */
export async function refreshLoad(base: string, concurrency: number, seconds: number): Promise<FlowMeasurement> {
  const chains: RefreshChain[] = await Promise.all(
    Array.from({ length: concurrency }, async () => ({ refreshToken: (await runCodeFlow(base)).refreshToken })),
  );
  return loadLoop({
    concurrency,
    seconds,
    step: async (worker) => {
      const chain = chains[worker]!;
      try {
        await refreshStep(base, chain);
      } catch (error) {
        await runCodeFlow(base)
          .then((tokens) => (chain.refreshToken = tokens.refreshToken))
          .catch(() => undefined); // the next step fails again and says why
        throw error;
      }
    },
  });
}

/** The code-flow scenario: `concurrency` fresh browsers, each logging in back to back (one step = one runCodeFlow). */
export async function codeFlowLoad(base: string, concurrency: number, seconds: number): Promise<FlowMeasurement> {
  return loadLoop({
    concurrency,
    seconds,
    step: async () => {
      await runCodeFlow(base);
    },
  });
}
