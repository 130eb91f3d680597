import { existsSync, readFileSync } from 'node:fs';
import { defaultSecretFile } from '../../options/resolve-options.js';
import type { DatabaseTarget } from '../database-target.js';

/** The same floor as `signing.encryptionSecret`. */
const MIN_SECRET_LENGTH = 32;

/** The environment variable `authnest keys rotate` reads the encryption secret from. */
export const SECRET_ENV = 'AUTHNEST_ENCRYPTION_SECRET';

/** A problem the CLI reports as is (no stack, nothing secret). */
export class KeysCliError extends Error {}

/**
 * The encryption secret the app seals keys with: the file given with `--secret-file`, else `$AUTHNEST_ENCRYPTION_SECRET`,
 * else the app's development secret file for this database. Never from a command-line value (visible to every user).
 */
export function readEncryptionSecret(target: DatabaseTarget, secretFile: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = secretFile === undefined ? env[SECRET_ENV] : undefined;
  let secret: string;
  if (fromEnv) {
    secret = fromEnv;
  } else {
    const file = secretFile ?? defaultSecretFile(target);
    if (!existsSync(file)) throw new KeysCliError(`no encryption secret: set ${SECRET_ENV} or pass --secret-file (${file} does not exist)`);
    secret = readFileSync(file, 'utf8').trim();
  }
  if (secret.length < MIN_SECRET_LENGTH) throw new KeysCliError(`the encryption secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return secret;
}
