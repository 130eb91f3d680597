import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AUTH_OPTIONS } from '../../../auth.tokens.js';
import { AuthConfigError } from '../../../options/auth-config.error.js';
import type { ResolvedAuthOptions } from '../../../options/resolved-options.js';
import { OAuthGrant, type GrantHandler } from './grant-handler.js';

function isGrantHandler(value: unknown): value is GrantHandler {
  const candidate = value as Partial<GrantHandler> | null;
  return typeof candidate?.grantType === 'string' && typeof candidate.handle === 'function' && Array.isArray(candidate.parameters);
}

/** Every grant handler marked `@OAuthGrant()` in the application and not `enabled: false`, by `grant_type`. */
@Injectable()
export class GrantRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, GrantHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: OAuthGrant.KEY })) {
      const handler: unknown = wrapper.instance;
      if (!isGrantHandler(handler)) throw new AuthConfigError([`${wrapper.name}: @OAuthGrant() providers must implement GrantHandler`]);
      if (handler.enabled === false) continue;
      if (this.handlers.has(handler.grantType)) throw new AuthConfigError([`grant ${handler.grantType}: registered twice`]);
      this.handlers.set(handler.grantType, handler);
    }
    const problems = this.options.clients.flatMap((client, index) =>
      client.grantTypes
        .filter((grantType) => !this.handlers.has(grantType))
        .map((grantType) => `clients[${index}].grantTypes: '${grantType}' is not a supported grant type`),
    );
    if (problems.length > 0) throw new AuthConfigError(problems);
  }

  get(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType);
  }

  /** Grant types for `grant_types_supported`. */
  grantTypes(): string[] {
    return [...this.handlers.keys()];
  }
}
