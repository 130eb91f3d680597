import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AuthRedis } from './auth-redis.js';
import { AUTH_REDIS } from './redis.token.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** The longest id a message may carry (the access-token id column's length). */
const MAX_ID_LENGTH = 64;

/**
 * Access-token revocations told to every instance through a Redis channel (`<keyPrefix>revoked`), so each drops the
 * token from its verified-token cache at once instead of after `resource.jwtCacheTtl` / `opaqueCacheTtl`. A message
 * carries the token's id (its `jti`, or an opaque token's public 22-character id), never the token. Best effort: a
 * message published while an instance is disconnected is lost to it, which then sees the revocation when its cache
 * entry expires (as without Redis). Without the `redis` option, nothing is sent or received.
 */
@Injectable()
export class RevocationBroadcast implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new AuthLogger();
  private readonly listeners: Array<(id: string) => void> = [];
  private subscriber?: Redis;
  private readonly channel?: string;

  constructor(@Optional() @Inject(AUTH_REDIS) private readonly redis?: AuthRedis | null) {
    this.channel = redis?.key('revoked');
  }

  /** Calls `listener` with the id of every access token revoked on any instance (this one included). */
  onRevoked(listener: (id: string) => void): void {
    this.listeners.push(listener);
  }

  /** Tells every instance (not awaited; a Redis that does not answer is skipped). */
  revoked(id: string): void {
    const { redis, channel } = this;
    if (!redis || !channel || id.length === 0 || id.length > MAX_ID_LENGTH) return;
    void redis.run((client) => client.publish(channel, id));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis || !this.channel) return;
    // A connection of its own in subscriber mode; it resubscribes by itself after a reconnection.
    const subscriber = this.redis.client.duplicate({
      lazyConnect: true,
      connectionName: 'authnest-server-sub',
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
    });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, id: string) => {
      if (channel !== this.channel || id.length === 0 || id.length > MAX_ID_LENGTH) return;
      for (const listener of this.listeners) listener(id);
    });
    // Not awaited: an unreachable Redis must not hold the boot (the subscription is sent once connected).
    subscriber.connect().catch(() => undefined);
    subscriber.subscribe(this.channel).catch((error: Error) => {
      if (this.subscriber === subscriber) this.logger.warn(`AuthModule Redis: revocation channel not subscribed (${error.message})`);
    });
  }

  onModuleDestroy(): void {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    // Nothing to flush on a subscriber: closed at once (a frozen Redis must not hold the shutdown).
    subscriber?.disconnect();
  }
}
