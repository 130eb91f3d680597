import type { Provider } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { NonceStore } from '../../persistence/stores/nonce.store.js';
import { DPOP_BINDING } from '../../resource/dpop-binding.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';
import { DpopNonceHeader } from './dpop-nonce-header.js';
import { dpopNonceKey, DpopNonces } from './dpop-nonces.js';
import { DpopProofChecker } from './dpop-proof-checker.js';
import { DatabaseReplayStore } from './dpop-replay.js';
import { DpopResourceBinding } from './dpop-resource-binding.js';
import { DPOP_PROOF_CHECKER, DpopTokenRequests } from './dpop-token-requests.service.js';

/**
 * DPoP (RFC 9449) in `AuthModule`: one proof checker (proof `jti`s in the database, nonces derived from the encryption
 * secret when `dpop.requireNonce`), the token endpoint's use of it, and the guards' binding (undefined while DPoP is
 * off, so the guards know the Bearer scheme only).
 */
export const dpopProviders: Provider[] = [
  {
    provide: DPOP_PROOF_CHECKER,
    inject: [AUTH_OPTIONS, NonceStore, Clock, ENCRYPTION_SECRET],
    useFactory: (options: ResolvedAuthOptions, nonces: NonceStore, clock: Clock, secret: string): DpopProofChecker => {
      const { dpop } = options;
      const serverNonces = dpop.requireNonce ? new DpopNonces(dpopNonceKey(secret), dpop.nonceLifetime, () => clock.nowSeconds(), dpop.leeway) : undefined;
      return new DpopProofChecker(dpop, new DatabaseReplayStore(nonces), clock, serverNonces);
    },
  },
  {
    provide: DpopResourceBinding,
    inject: [AUTH_OPTIONS, DPOP_PROOF_CHECKER],
    useFactory: (options: ResolvedAuthOptions, checker: DpopProofChecker): DpopResourceBinding | undefined =>
      options.dpop.enabled ? new DpopResourceBinding(checker, options.dpop.resourceOrigin) : undefined,
  },
  { provide: DPOP_BINDING, useExisting: DpopResourceBinding },
  DpopTokenRequests,
  DpopNonceHeader,
];
