import { parseArgs } from 'node:util';
import type { SigningAlgorithm } from '../../options/auth-options.interface.js';
import { DATABASE_FLAGS, DATABASE_USAGE, readDatabaseTarget, type DatabaseTarget } from '../database-target.js';

export const KEYS_USAGE = [
  `usage: authnest keys list ${DATABASE_USAGE}`,
  `       authnest keys rotate ${DATABASE_USAGE} [--algorithm ES256|RS256|EdDSA] [--secret-file PATH]`,
  `       authnest keys revoke KID ${DATABASE_USAGE}`,
  "       (a KID that starts with '-', from older versions, goes last after --: authnest keys revoke --sqlite PATH -- KID)",
  'rotate seals the new private key with $AUTHNEST_ENCRYPTION_SECRET, else the secret in --secret-file',
  "(default: the app's development secret file, .authnest/secret.key beside the SQLite file or in the working directory)",
].join('\n');

const ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'RS256', 'EdDSA'];
const KID = /^[\x21-\x7E]{1,64}$/;

/** A parsed `authnest keys` command line. */
export type KeysCommand =
  | { command: 'list'; target: DatabaseTarget }
  | { command: 'rotate'; target: DatabaseTarget; algorithm?: SigningAlgorithm; secretFile?: string }
  | { command: 'revoke'; target: DatabaseTarget; kid: string };

/** Reads `keys list|rotate|revoke [KID] <database flags> [options]`, or an error message. */
export function parseKeysArgs(argv: readonly string[]): KeysCommand | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...DATABASE_FLAGS, algorithm: { type: 'string' }, 'secret-file': { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [group, command, ...rest] = positionals;
  if (group !== 'keys') return 'unknown command';
  if (command !== 'list' && command !== 'rotate' && command !== 'revoke') return 'name a keys command: list, rotate or revoke';
  const target = readDatabaseTarget(values);
  if (typeof target === 'string') return target;
  const secretFile = values['secret-file'];
  if (command !== 'rotate' && (values.algorithm !== undefined || secretFile !== undefined)) return `--algorithm and --secret-file apply to rotate only`;
  if (command === 'revoke') {
    if (rest.length !== 1) return 'revoke takes one key id (see authnest keys list)';
    if (!KID.test(rest[0]!)) return 'a key id is 1 to 64 printable characters';
    return { command, target, kid: rest[0]! };
  }
  if (rest.length > 0) return `${command} takes no arguments`;
  if (command === 'list') return { command, target };
  const algorithm = values.algorithm as SigningAlgorithm | undefined;
  if (algorithm !== undefined && !ALGORITHMS.includes(algorithm)) return `--algorithm must be one of ${ALGORITHMS.join(', ')}`;
  if (secretFile === '') return '--secret-file needs a file path';
  return { command, target, algorithm, secretFile };
}
