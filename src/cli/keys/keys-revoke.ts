import type { SigningKeyStore } from '../../persistence/stores/signing-key.store.js';
import { KeysCliError } from './cli-secret.js';
import type { CliOutput } from './keys-cli.js';

/**
 * `authnest keys revoke KID`: the key is never published nor used again and its sealed private part is erased. Each
 * running instance drops it on its next key reload (`signing.reloadInterval`); if it was signing, the first instance
 * to reload creates a replacement that signs at once.
 */
export async function revokeKey(store: SigningKeyStore, kid: string, now: number, output: CliOutput): Promise<number> {
  const revoked = await store.revoke(kid, now);
  if (!revoked) throw new KeysCliError(`no signing key ${kid} (see authnest keys list)`);
  output.log(`authnest: revoked signing key ${kid} (${revoked.alg}) at ${new Date(revoked.revokedAt ?? now).toISOString()}`);
  output.log('running instances stop publishing and using it within signing.reloadInterval; a replacement signs at once if it was signing');
  return 0;
}
