import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { AuthRedis } from './auth-redis.js';
import { AUTH_REDIS } from './redis.token.js';
import { RevocationBroadcast } from './revocation-broadcast.js';

export { AUTH_REDIS } from './redis.token.js';

/** Starts using Redis once every store has registered its recovery step, and closes it at shutdown. */
@Injectable()
export class AuthRedisLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Optional() @Inject(AUTH_REDIS) private readonly redis?: AuthRedis | null) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.redis?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.close();
  }
}

/** The connection (opened at boot when `redis` is set), its lifecycle, and the revocation channel. */
export const redisProviders: Provider[] = [
  {
    provide: AUTH_REDIS,
    inject: [AUTH_OPTIONS],
    useFactory: (options: ResolvedAuthOptions): Promise<AuthRedis> | null => (options.redis ? AuthRedis.connect(options.redis) : null),
  },
  AuthRedisLifecycle,
  RevocationBroadcast,
];
