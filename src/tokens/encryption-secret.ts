import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@nestjs/common';
import { randomToken } from '../internal/random.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';

/** The same floor as `signing.encryptionSecret`. */
const MIN_SECRET_LENGTH = 32;

/**
 * The secret that encrypts private keys at rest: `signing.encryptionSecret`, or (never in production,
 * which the options refuse) a generated development secret kept in `signing.secretFile`, with a warning.
 */
export function resolveEncryptionSecret(options: ResolvedAuthOptions, logger: Logger): string {
  if (options.signing.encryptionSecret) return options.signing.encryptionSecret;
  const file = options.signing.secretFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomToken(32)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another instance created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  logger.warn(
    `!!! DEVELOPMENT ONLY: signing keys are encrypted with a generated secret in ${file}. ` +
      'Set signing.encryptionSecret (32+ characters, from a secret store) before production. !!!',
  );
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`authnest: ${file} holds no usable secret (fewer than ${MIN_SECRET_LENGTH} characters); delete it only if no key was sealed with it`);
  }
  return secret;
}
