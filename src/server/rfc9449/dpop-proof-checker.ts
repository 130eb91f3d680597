import type { Clock } from '../../internal/clock.js';
import type { DpopNonces } from './dpop-nonces.js';
import { DpopProofProblem, MAX_PROOF_LENGTH, verifyDpopProof, type VerifiedProof } from './dpop-proof.js';
import type { DpopReplayStore } from './dpop-replay.js';

/** The request headers as Express and Fastify expose them, with Node's view of repeated lines. */
export interface RequestWithHeaders {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  headersDistinct?: Record<string, string[] | undefined>;
  raw?: { headersDistinct?: Record<string, string[] | undefined> };
}

/**
 * The `DPoP` header of a request, or undefined when there is none. Node joins repeated lines of an unknown header with
 * a comma in `headers`, so repetition is read from `headersDistinct`: two proofs are refused, not merged.
 */
export function dpopHeader(request: RequestWithHeaders): string | undefined {
  const lines = (request.raw ?? request).headersDistinct?.dpop;
  if (lines && lines.length > 1) throw new DpopProofProblem('Send one DPoP header');
  const value = request.headers.dpop;
  if (Array.isArray(value)) throw new DpopProofProblem('Send one DPoP header');
  if (value === undefined) return undefined;
  if (value.length > MAX_PROOF_LENGTH) throw new DpopProofProblem('The DPoP proof is too long');
  return value.trim();
}

/** A valid proof without the server's current nonce: answer `use_dpop_nonce` with a fresh one. */
export class DpopNonceRequired extends Error {
  override readonly name = 'DpopNonceRequired';

  constructor(readonly nonce: string) {
    super('A DPoP nonce is required');
  }
}

/** What proofs are checked against besides the request. */
export interface DpopCheckSettings {
  algorithms: readonly string[];
  /** Seconds. */
  proofMaxAge: number;
  /** Seconds. */
  leeway: number;
}

/**
 * The whole check of one proof (RFC 9449 section 4.3): the proof itself, then the server nonce when nonces are required
 * (section 8), then single use of its `jti` (remembered until the proof is too old to be accepted anyway). A proof that
 * fails an earlier step is not remembered.
 */
export class DpopProofChecker {
  constructor(
    readonly settings: DpopCheckSettings,
    private readonly replay: DpopReplayStore,
    private readonly clock: Clock,
    /** Present when proofs must carry a nonce. */
    readonly nonces?: DpopNonces,
  ) {}

  /** Resolves the verified proof; throws `DpopProofProblem` or `DpopNonceRequired`. */
  async check(proof: string, method: string, htu: string, accessToken?: string): Promise<VerifiedProof> {
    const { algorithms, proofMaxAge, leeway } = this.settings;
    const now = this.clock.now();
    const verified = await verifyDpopProof(proof, { method, htu, algorithms, now: Math.floor(now / 1000), maxAge: proofMaxAge, leeway, accessToken });
    if (this.nonces && !this.nonces.isValid(verified.nonce)) throw new DpopNonceRequired(this.nonces.current());
    const acceptableUntil = (verified.iat + proofMaxAge + 1) * 1000;
    if (!(await this.replay.remember(verified.jkt, verified.jti, now, acceptableUntil))) throw new DpopProofProblem('The DPoP proof was used before');
    return verified;
  }

  /** The nonce to send with a response, when nonces are required. */
  freshNonce(): string | undefined {
    return this.nonces?.current();
  }
}
