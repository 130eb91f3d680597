import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import { sha256Hex } from '../../internal/sha256.js';
import { SecretBox } from '../../tokens/secret-box.js';
import { OAUTH_CLIENT_STORE, type OAuthClientStore } from '../oauth-client-store.js';
import { OAUTH_CLIENT_OPTIONS } from '../oauth-clients.service.js';
import type { ResolvedOAuthClientOptions } from '../resolve-oauth-client-options.js';

/**
 * JSON values in the client store under the SHA-256 of their key, sealed with AES-256-GCM under a key derived from
 * `encryptionSecret`: a reader of the database (or Redis) sees neither keys (state values, cookie tokens) nor tokens.
 */
@Injectable()
export class SealedEntries {
  private readonly box?: SecretBox;

  constructor(
    @Inject(OAUTH_CLIENT_OPTIONS) options: ResolvedOAuthClientOptions,
    @Inject(OAUTH_CLIENT_STORE) private readonly store: OAuthClientStore,
    private readonly clock: Clock,
  ) {
    if (options.encryptionSecret) this.box = new SecretBox(options.encryptionSecret, 'authnest client store v1');
  }

  /** Stores `value` until `expiresAt` (ms since the epoch). */
  put(key: string, value: object, expiresAt: number): Promise<void> {
    return this.store.set(sha256Hex(key), this.seal(value), expiresAt);
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.open<T>(await this.store.get(sha256Hex(key), this.clock.now()));
  }

  /** Reads and removes (single use). */
  async take<T>(key: string): Promise<T | undefined> {
    return this.open<T>(await this.store.take(sha256Hex(key), this.clock.now()));
  }

  /** A lock until `expiresAt`, held by whoever claimed it first. */
  claim(key: string, expiresAt: number): Promise<boolean> {
    return this.store.claim(sha256Hex(key), this.seal({}), expiresAt, this.clock.now());
  }

  delete(key: string): Promise<void> {
    return this.store.delete(sha256Hex(key));
  }

  private seal(value: object): string {
    if (!this.box) throw new Error('authnest: OAuthClientModule needs encryptionSecret for login');
    return this.box.seal(JSON.stringify(value));
  }

  private open<T>(sealed: string | undefined): T | undefined {
    if (sealed === undefined || !this.box) return undefined;
    try {
      return JSON.parse(this.box.open(sealed)) as T;
    } catch {
      return undefined;
    }
  }
}
