import type { SigningKeyEntity } from '../../persistence/entities/signing-key.entity.js';
import type { SigningKeyStore } from '../../persistence/stores/signing-key.store.js';
import type { CliOutput } from './keys-cli.js';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** When a key signs, as far as the database says (a rotated key's delay is the app's `signing.propagationDelay`). */
function activation(key: SigningKeyEntity): string {
  return key.activateAt === null ? `${iso(key.createdAt)} + signing.propagationDelay` : iso(key.activateAt);
}

/** `authnest keys list`: every stored key, oldest first, without key material. */
export async function listKeys(store: SigningKeyStore, output: CliOutput): Promise<number> {
  const keys = await store.findAll();
  if (keys.length === 0) {
    output.log('authnest: no signing keys yet (the app creates one at its first boot)');
    return 0;
  }
  output.log(['kid', 'alg', 'status', 'created', 'signs from', 'revoked'].join('\t'));
  for (const key of keys) {
    const revoked = key.revokedAt === null ? '-' : iso(key.revokedAt);
    output.log([key.kid, key.alg, key.status, iso(key.createdAt), activation(key), revoked].join('\t'));
  }
  output.log("(each app instance retires a superseded key itself: published until its successor's tokens could all have expired)");
  return 0;
}
