import type { Provider } from '@nestjs/common';
import { Clock } from '../internal/clock.js';
import { DPOP_BINDING } from '../resource/dpop-binding.js';
import { DpopProofChecker } from '../server/rfc9449/dpop-proof-checker.js';
import { MemoryReplayStore } from '../server/rfc9449/dpop-replay.js';
import { DpopResourceBinding } from '../server/rfc9449/dpop-resource-binding.js';
import { AUTH_RESOURCE_OPTIONS } from './auth-resource.module-definition.js';
import type { ResolvedAuthResourceOptions } from './resolve-auth-resource-options.js';

/**
 * The guards' DPoP binding in `AuthResourceModule` (RFC 9449 section 7): proofs checked like `AuthModule` checks them,
 * their `jti`s remembered in memory (per instance), no server nonces. Undefined without the `dpop` option.
 */
export const remoteDpopProvider: Provider = {
  provide: DPOP_BINDING,
  inject: [AUTH_RESOURCE_OPTIONS, Clock],
  useFactory: (options: ResolvedAuthResourceOptions, clock: Clock): DpopResourceBinding | undefined =>
    options.dpop ? new DpopResourceBinding(new DpopProofChecker(options.dpop, new MemoryReplayStore(), clock), options.dpop.origin) : undefined,
};
