import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../internal/clock.js';
import type { DataSource } from 'typeorm';
import type { AuthDataSource } from '../../persistence/auth-data-source.js';
import { CLIENT_DATA_SOURCE } from '../../persistence/stores/client-entry.store.js';
import { OAUTH_CLIENT_STORE, type OAuthClientStore } from '../oauth-client-store.js';
import { RedisClientStore } from '../redis-client-store.js';
import { AuthLogger } from '../../internal/auth-logger.js';

/** The handle when no provider has login: no DataSource is opened. */
export const NO_DATA_SOURCE: AuthDataSource = Object.freeze({ dataSource: undefined as unknown as DataSource, owned: false });

const noStore = (): Promise<never> => Promise.reject(new Error('authnest: OAuthClientModule has no store: no provider has login'));

/** The store when no provider has login: any use is a programming error. */
export const NO_STORE: OAuthClientStore = {
  set: noStore,
  claim: noStore,
  get: noStore,
  take: noStore,
  delete: noStore,
  deleteExpired: noStore,
};

/** Seconds between purges of expired login attempts and sessions. */
const PURGE_INTERVAL_MS = 3600_000;

/**
 * Purges expired entries of the database store every hour, and at shutdown closes the client's DataSource when
 * authnest opened it, or the Redis connection.
 */
@Injectable()
export class ClientStoreLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AuthLogger();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(CLIENT_DATA_SOURCE) private readonly handle: AuthDataSource,
    @Inject(OAUTH_CLIENT_STORE) private readonly store: OAuthClientStore,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.handle === NO_DATA_SOURCE) return;
    this.timer = setInterval(() => {
      this.store.deleteExpired(this.clock.now()).catch((error: unknown) => this.logger.error(`Client store purge failed: ${(error as Error).name}`));
    }, PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.store instanceof RedisClientStore) await this.store.close();
    if (this.handle.owned && this.handle.dataSource.isInitialized) await this.handle.dataSource.destroy();
  }
}
