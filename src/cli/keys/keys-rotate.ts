import type { SigningAlgorithm } from '../../options/auth-options.interface.js';
import type { SigningKeyStore } from '../../persistence/stores/signing-key.store.js';
import type { SecretBox } from '../../tokens/secret-box.js';
import { generateSigningKey } from '../../tokens/signing-key-factory.js';
import { KeysCliError } from './cli-secret.js';
import type { CliOutput } from './keys-cli.js';

/**
 * `authnest keys rotate`: publishes a new key; running instances see it on their next key reload and sign with it
 * `signing.propagationDelay` after now. Refuses a secret that does not open the keys already stored (the app could
 * not open the new key either). Default algorithm: the newest live key's, else ES256.
 */
export async function rotateKey(
  store: SigningKeyStore,
  box: SecretBox,
  algorithm: SigningAlgorithm | undefined,
  now: number,
  output: CliOutput,
): Promise<number> {
  const live = (await store.findAll()).filter((key) => key.status === 'active');
  if (live.length > 0 && !live.some((key) => opens(box, key.privateJwkEncrypted))) {
    throw new KeysCliError('the encryption secret does not open the stored keys: use the one the app has in signing.encryptionSecret');
  }
  const alg = algorithm ?? live.at(-1)?.alg ?? 'ES256';
  const key = await generateSigningKey(alg, box, now, null);
  await store.insert(key);
  output.log(`authnest: published signing key ${key.kid} (${alg}), created ${new Date(now).toISOString()}`);
  output.log('running instances publish it within signing.reloadInterval and sign with it signing.propagationDelay after its creation');
  return 0;
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
}
