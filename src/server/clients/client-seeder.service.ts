import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { AUTH_EVENTS } from '../../events/auth-event-map.js';
import { AuthEvents } from '../../events/auth-events.service.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ClientService } from './client.service.js';

/**
 * Creates or updates the clients listed in `options.clients` at boot. A client created here is reported once
 * (`authnest.client.registered`, source `seed`); updates at later boots are not (every boot would report every client).
 */
@Injectable()
export class ClientSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly clients: ClientService,
    private readonly events: AuthEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = this.events.wants(AUTH_EVENTS.clientRegistered);
    for (const seed of this.options.clients) {
      const created = report && (await this.clients.find(seed.clientId)) === undefined;
      await this.clients.upsert(seed);
      if (created) this.events.emit(AUTH_EVENTS.clientRegistered, { clientId: seed.clientId, source: 'seed' });
    }
  }
}
