import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AUTH_OPTIONS } from '../auth.tokens.js';
import { Clock } from '../internal/clock.js';
import type { ResolvedAuthOptions } from '../options/resolved-options.js';
import { AccessTokenStore } from '../persistence/stores/access-token.store.js';

/** Deletes expired opaque tokens, on a timer (`purgeInterval`) or on demand. */
@Injectable()
export class TokenPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('authnest');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly accessTokens: AccessTokenStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.purgeInterval === 0) return;
    this.timer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => this.logger.error(`Token purge failed: ${(error as Error).name}`));
    }, this.options.purgeInterval * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes every token that expired before now; resolves how many rows went. */
  purgeExpired(): Promise<number> {
    return this.accessTokens.deleteExpired(this.clock.now());
  }
}
