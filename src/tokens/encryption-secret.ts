import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@nestjs/common';
import { randomToken } from '../internal/random.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';

/**
 * The secret that encrypts private keys at rest: `signing.encryptionSecret`, or (never in production,
 * which the options refuse) a generated development secret kept in `signing.secretFile`, with a warning.
 */
export function resolveEncryptionSecret(options: ResolvedAuthOptions, logger: Logger): string {
  if (options.signing.encryptionSecret) return options.signing.encryptionSecret;
  const file = options.signing.secretFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomToken(32)}\n`, { mode: 0o600, flag: 'wx' });
  }
  logger.warn(
    `!!! DEVELOPMENT ONLY: signing keys are encrypted with a generated secret in ${file}. ` +
      'Set signing.encryptionSecret (32+ characters, from a secret store) before production. !!!',
  );
  return readFileSync(file, 'utf8').trim();
}
