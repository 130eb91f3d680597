import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Clock } from '../internal/clock.js';
import { oauthClientToken } from './inject-oauth-client.decorator.js';
import { OAUTH_CLIENT_MODULE_OPTIONS, OAuthClientModuleBase, type OAuthClientModuleExtras } from './oauth-client.module-definition.js';
import type { OAuthClientModuleOptions } from './oauth-client-options.interface.js';
import { OAUTH_CLIENT_OPTIONS, OAuthClients } from './oauth-clients.service.js';
import { resolveOAuthClientOptions, type ResolvedOAuthClientOptions } from './resolve-oauth-client-options.js';
import { openDataSource } from '../persistence/data-source.factory.js';
import type { AuthDataSource } from '../persistence/auth-data-source.js';
import { CLIENT_DATA_SOURCE, ClientEntryStore } from '../persistence/stores/client-entry.store.js';
import { OAUTH_CLIENT_STORE, type OAuthClientStore } from './oauth-client-store.js';
import { RedisClientStore } from './redis-client-store.js';
import { PageResponder } from '../server/interaction/http/page-responder.service.js';
import { ClientStoreLifecycle, NO_DATA_SOURCE, NO_STORE } from './login/client-store.lifecycle.js';
import { OAuthLogin } from './login/oauth-login.service.js';
import { SealedEntries } from './login/sealed-entries.service.js';
import { OAuthSessionTokens } from './login/session-tokens.service.js';
import { IdTokens } from './login/id-tokens.service.js';
import { OAuthUserInfo } from './login/session-userinfo.service.js';
import { OAuthSessionGuard } from './login/oauth-session.guard.js';
import { OAuthPassportGuard, OAuthSessionStrategy } from './passport/oauth-session.strategy.js';

type AsyncOptions = Parameters<typeof OAuthClientModuleBase.forRootAsync>[0];

function namedClients(names: readonly string[]): Provider[] {
  return names.map((name) => ({ provide: oauthClientToken(name), inject: [OAuthClients], useFactory: (clients: OAuthClients) => clients.get(name) }));
}

function withNamedClients(module: DynamicModule, names: readonly string[]): DynamicModule {
  const named = namedClients(names);
  return { ...module, providers: [...(module.providers ?? []), ...named], exports: [...(module.exports ?? []), ...named.map((p) => (p as { provide: string }).provide)] };
}

/**
 * The OAuth client side, for apps that call other authorization servers:
 * `OAuthClientModule.forRoot({ providers: { reporting: { issuer, clientId, clientSecret, scopes } } })` or
 * `forRootAsync({ clients: ['reporting'], imports, inject, useFactory })`. Options are validated at boot.
 */
@Module({
  providers: [
    Clock,
    { provide: OAUTH_CLIENT_OPTIONS, inject: [OAUTH_CLIENT_MODULE_OPTIONS], useFactory: (raw: OAuthClientModuleOptions) => resolveOAuthClientOptions(raw) },
    // The store opens only when a provider has `login`; otherwise nothing touches a database or Redis.
    {
      provide: CLIENT_DATA_SOURCE,
      inject: [OAUTH_CLIENT_OPTIONS],
      useFactory: (options: ResolvedOAuthClientOptions) => (options.database ? openDataSource(options.database) : NO_DATA_SOURCE),
    },
    {
      provide: OAUTH_CLIENT_STORE,
      inject: [OAUTH_CLIENT_OPTIONS, CLIENT_DATA_SOURCE],
      useFactory: (options: ResolvedOAuthClientOptions, handle: AuthDataSource): OAuthClientStore | Promise<OAuthClientStore> => {
        if (options.redis) return RedisClientStore.connect(options.redis);
        return handle === NO_DATA_SOURCE ? NO_STORE : new ClientEntryStore(handle);
      },
    },
    ClientStoreLifecycle,
    OAuthClients,
    SealedEntries,
    IdTokens,
    OAuthLogin,
    OAuthSessionTokens,
    OAuthUserInfo,
    OAuthSessionGuard,
    OAuthSessionStrategy,
    OAuthPassportGuard,
    PageResponder,
  ],
  exports: [OAUTH_CLIENT_OPTIONS, OAuthClients, OAuthLogin, OAuthSessionTokens, OAuthUserInfo, OAuthSessionGuard, OAuthSessionStrategy, OAuthPassportGuard, PageResponder],
})
export class OAuthClientModule extends OAuthClientModuleBase {
  static override forRoot(options: OAuthClientModuleOptions & Omit<OAuthClientModuleExtras, 'clients'>): DynamicModule {
    const names = typeof options?.providers === 'object' && options.providers !== null ? Object.keys(options.providers) : [];
    return withNamedClients(super.forRoot(options), names);
  }

  static override forRootAsync(options: AsyncOptions): DynamicModule {
    return withNamedClients(super.forRootAsync(options), options.clients ?? []);
  }
}
