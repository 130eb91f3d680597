import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Authenticated encryption (AES-256-GCM) of small secrets such as private JWKs, under a key derived
 * with HKDF-SHA-256 from the configured `signing.encryptionSecret`. Output: `v1.<iv>.<tag>.<ciphertext>`.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** `purpose` is the HKDF info: one secret gives unrelated keys for unrelated data. */
  constructor(secret: string, purpose = 'authnest signing keys v1') {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'authnest', purpose, 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws when the box was sealed under another secret or was tampered with. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unknown sealed secret format');
    // A fixed tag length: otherwise GCM accepts a tag truncated to 4 bytes, which is forgeable.
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
