import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ClientService } from './client.service.js';

/** Creates or updates the clients listed in `options.clients` at boot. */
@Injectable()
export class ClientSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clients: ClientService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const seed of this.options.clients) await this.clients.upsert(seed);
  }
}
