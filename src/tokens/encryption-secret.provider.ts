import type { Provider } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { resolveEncryptionSecret } from './encryption-secret.js';
import { AuthLogger } from '../internal/auth-logger.js';

/**
 * DI token of the resolved encryption secret (`signing.encryptionSecret` or the development secret file),
 * read once per app. Keys for other purposes (cookie signing) are derived from it with HKDF, never the secret itself.
 */
export const ENCRYPTION_SECRET = Symbol('authnest:encryption-secret');

export const encryptionSecretProvider: Provider = {
  provide: ENCRYPTION_SECRET,
  inject: [AUTH_OPTIONS],
  useFactory: (options: ResolvedAuthOptions): string => resolveEncryptionSecret(options, new AuthLogger()),
};
