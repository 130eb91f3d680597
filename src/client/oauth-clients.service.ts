import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../internal/clock.js';
import { OAuthClient } from './oauth-client.js';
import type { ResolvedOAuthClientOptions } from './resolve-oauth-client-options.js';

/** DI token of the validated client options (`ResolvedOAuthClientOptions`). */
export const OAUTH_CLIENT_OPTIONS = Symbol('authnest:oauth-client-options');

/** Every configured provider's `OAuthClient`, by name. */
@Injectable()
export class OAuthClients {
  private readonly clients = new Map<string, OAuthClient>();

  constructor(@Inject(OAUTH_CLIENT_OPTIONS) options: ResolvedOAuthClientOptions, clock: Clock) {
    for (const provider of options.providers) this.clients.set(provider.name, new OAuthClient(provider, options, clock));
  }

  /** The client of a configured provider; an unknown name is a programming error and throws. */
  get(name: string): OAuthClient {
    const client = this.clients.get(name);
    if (!client) throw new Error(`authnest: no OAuth provider named ${name} in OAuthClientModule options`);
    return client;
  }

  /** The configured provider names. */
  names(): string[] {
    return [...this.clients.keys()];
  }
}
