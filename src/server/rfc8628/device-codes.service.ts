import { Inject, Injectable, type Provider } from '@nestjs/common';
import { hkdfSync } from 'node:crypto';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { Clock } from '../../internal/clock.js';
import { randomToken } from '../../internal/random.js';
import { sha256Hex } from '../../internal/sha256.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import type { DeviceCodeEntity } from '../../persistence/entities/device-code.entity.js';
import { DeviceCodeStore, type DeviceDecision } from '../../persistence/stores/device-code.store.js';
import { ENCRYPTION_SECRET } from '../../tokens/encryption-secret.provider.js';
import { formatUserCode, generateUserCode, normalizeUserCode, userCodeHash } from './user-code.js';

/** The `grant_type` of the device authorization grant (RFC 8628 section 3.4). */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** DI token of the user-code HMAC key: HKDF-SHA-256 of the encryption secret, bound to this one purpose. */
export const USER_CODE_KEY = Symbol('authnest:user-code-key');

export const userCodeKeyProvider: Provider = {
  provide: USER_CODE_KEY,
  inject: [ENCRYPTION_SECRET],
  useFactory: (secret: string): Buffer => Buffer.from(hkdfSync('sha256', secret, 'authnest', 'authnest user code v1', 32)),
};

/** A device authorization just created: the codes in clear, for the response only. */
export interface CreatedDeviceAuthorization {
  deviceCode: string;
  /** Formatted for display (`WDJB-MJHT`). */
  userCode: string;
  /** Seconds until both codes expire. */
  expiresIn: number;
  /** Seconds between polls. */
  interval: number;
}

/** Longer strings are not device codes this server issued; they never reach the database. */
const MAX_DEVICE_CODE_LENGTH = 512;
/** Inserts retried when a new user code collides with a stored one (unique index). */
const INSERT_ATTEMPTS = 5;

/**
 * Device authorization requests (RFC 8628 section 3.2): a device code of 256 random bits stored as SHA-256, a user
 * code from the section 6.1 alphabet stored as HMAC-SHA-256 under a server key, both valid `deviceFlow.codeTtl`
 * seconds; the user's decision; redemption once.
 */
@Injectable()
export class DeviceCodes {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(USER_CODE_KEY) private readonly userCodeKey: Buffer,
    private readonly store: DeviceCodeStore,
    private readonly clock: Clock,
  ) {}

  async create(clientId: string, scopes: readonly string[], resources: readonly string[] = []): Promise<CreatedDeviceAuthorization> {
    const { codeTtl, interval, userCodeLength } = this.options.deviceFlow;
    for (let attempt = 1; ; attempt += 1) {
      const deviceCode = randomToken(32);
      const userCode = generateUserCode(userCodeLength);
      const now = this.clock.now();
      try {
        await this.store.insert({
          id: randomToken(16),
          deviceCodeHash: sha256Hex(deviceCode),
          userCodeHash: userCodeHash(this.userCodeKey, userCode),
          clientId,
          scopes: [...scopes],
          status: 'pending',
          accountId: null,
          authTime: null,
          acr: null,
          amr: [],
          pollInterval: interval,
          lastPolledAt: null,
          createdAt: now,
          expiresAt: now + codeTtl * 1000,
          decidedAt: null,
          consumedAt: null,
          resources: [...resources],
        });
        return { deviceCode, userCode: formatUserCode(userCode), expiresIn: codeTtl, interval };
      } catch (error) {
        // A user code already taken (34.5 bits: rare) violates the unique index; a new pair is drawn.
        if (attempt >= INSERT_ATTEMPTS) throw error;
      }
    }
  }

  /** The request a device code names, whatever its state, or undefined. */
  async findByDeviceCode(deviceCode: string): Promise<DeviceCodeEntity | undefined> {
    if (deviceCode.length > MAX_DEVICE_CODE_LENGTH) return undefined;
    return (await this.store.findByDeviceCodeHash(sha256Hex(deviceCode))) ?? undefined;
  }

  /** The pending, unexpired request a typed user code names, or undefined (malformed, unknown, expired, decided). */
  async findPendingByUserCode(input: string): Promise<DeviceCodeEntity | undefined> {
    const normalized = normalizeUserCode(input, this.options.deviceFlow.userCodeLength);
    if (!normalized) return undefined;
    const row = await this.store.findByUserCodeHash(userCodeHash(this.userCodeKey, normalized));
    return row && this.isPending(row) ? row : undefined;
  }

  isPending(row: DeviceCodeEntity): boolean {
    return row.status === 'pending' && row.consumedAt === null && row.expiresAt > this.clock.now();
  }

  /** Records the user's answer; false when the request was decided meanwhile or expired. */
  decide(id: string, decision: DeviceDecision): Promise<boolean> {
    return this.store.decide(id, this.clock.now(), decision);
  }
}
