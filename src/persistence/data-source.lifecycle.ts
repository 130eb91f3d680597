import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { AUTH_DATA_SOURCE } from '../auth.tokens.js';
import type { AuthDataSource } from './auth-data-source.js';

/** Closes the DataSource at shutdown when authnest opened it (a host-owned one is left alone). */
@Injectable()
export class DataSourceLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AUTH_DATA_SOURCE) private readonly handle: AuthDataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.handle.owned && this.handle.dataSource.isInitialized) await this.handle.dataSource.destroy();
  }
}
