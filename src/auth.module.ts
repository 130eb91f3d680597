import { Module, type Provider } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { AUTH_MODULE_OPTIONS, AuthModuleBase } from './auth.module-definition.js';
import { AUTH_DATA_SOURCE, AUTH_OPTIONS } from './auth.tokens.js';
import { OAuthExceptionFilter } from './errors/oauth-exception.filter.js';
import { Clock } from './internal/clock.js';
import { AuthEvents } from './events/auth-events.service.js';
import { auditProviders } from './audit/audit.providers.js';
import { AuditTrail } from './audit/audit-trail.service.js';
import { adminProviders } from './admin/admin.providers.js';
import { AuthAdminService } from './admin/auth-admin.service.js';
import type { AuthModuleOptions } from './options/auth-options.interface.js';
import { resolveAuthOptions } from './options/resolve-options.js';
import type { ResolvedAuthOptions } from './options/resolved-options.js';
import { openDataSource } from './persistence/data-source.factory.js';
import { DataSourceLifecycle } from './persistence/data-source.lifecycle.js';
import { redisProviders } from './persistence/redis/redis.providers.js';
import { AccessTokenStore } from './persistence/stores/access-token.store.js';
import { AuthorizationCodeStore } from './persistence/stores/authorization-code.store.js';
import { ConsentStore } from './persistence/stores/consent.store.js';
import { InteractionStore } from './persistence/stores/interaction.store.js';
import { RateLimitStore } from './persistence/stores/rate-limit.store.js';
import { RefreshTokenStore } from './persistence/stores/refresh-token.store.js';
import { SessionStore } from './persistence/stores/session.store.js';
import { ClientStore } from './persistence/stores/client.store.js';
import { SigningKeyStore } from './persistence/stores/signing-key.store.js';
import { AuthnestBearerStrategy, AuthnestPassportGuard } from './resource/bearer.strategy.js';
import { BearerAuthGuard } from './resource/bearer-auth.guard.js';
import { BEARER_REALM, BEARER_TOKEN_VERIFIER } from './resource/bearer-token-verifier.js';
import { DPOP_BINDING } from './resource/dpop-binding.js';
import { ClientSeeder } from './server/clients/client-seeder.service.js';
import { ClientService } from './server/clients/client.service.js';
import { GrantRevocationService } from './server/grants/grant-revocation.service.js';
import { AuthorizationCodeService } from './server/rfc6749/codes/authorization-code.service.js';
import { ClientAuthenticator } from './server/rfc6749/client-authenticator.service.js';
import { ClientCredentialsGrant } from './server/rfc6749/grants/client-credentials.grant.js';
import { GrantRegistry } from './server/rfc6749/grants/grant-registry.service.js';
import { TokenEndpoint } from './server/rfc6749/token-endpoint.service.js';
import { FastPath } from './server/fast-path/fast-path.service.js';
import { RequestListener } from './server/request-listener.service.js';
import { RequestIds } from './request-id/request-ids.service.js';
import { AuthHealth } from './health/auth-health.service.js';
import { TokenController } from './server/rfc6749/token.controller.js';
import { JwksController } from './server/rfc7517/jwks.controller.js';
import { MetadataController } from './server/rfc8414/metadata.controller.js';
import { ServerMetadata } from './server/rfc8414/server-metadata.service.js';
import { openIdControllers, openIdProviders } from './server/oidc/oidc.providers.js';
import { UserInfoService } from './server/oidc/userinfo.service.js';
import { LogoutService } from './server/oidc/logout/logout.service.js';
import { NonceStore } from './persistence/stores/nonce.store.js';
import { SessionClientStore } from './persistence/stores/session-client.store.js';
import { browserFlowControllers, browserFlowProviders } from './server/interaction/browser-flow.providers.js';
import { jwtAssertionProviders } from './server/rfc7523/rfc7523.providers.js';
import { deviceFlowControllers, deviceFlowProviders } from './server/rfc8628/device-flow.providers.js';
import { registrationControllers, registrationProviders } from './server/rfc7591/registration.providers.js';
import { dpopProviders } from './server/rfc9449/rfc9449.providers.js';
import { tokenExchangeProviders } from './server/rfc8693/rfc8693.providers.js';
import { pushedAuthorizationControllers, pushedAuthorizationProviders } from './server/rfc9126/rfc9126.providers.js';
import { InteractionService } from './server/interaction/interaction.service.js';
import { PageResponder } from './server/interaction/http/page-responder.service.js';
import { encryptionSecretProvider } from './tokens/encryption-secret.provider.js';
import { AuthorizationCodeGrant } from './server/rfc6749/grants/authorization-code.grant.js';
import { RefreshTokenGrant } from './server/rfc6749/grants/refresh-token.grant.js';
import { IssuedTokenLookup } from './server/rfc7009/issued-token-lookup.service.js';
import { RevocationEndpoint } from './server/rfc7009/revocation-endpoint.service.js';
import { RevocationController } from './server/rfc7009/revocation.controller.js';
import { IntrospectionEndpoint } from './server/rfc7662/introspection-endpoint.service.js';
import { IntrospectionController } from './server/rfc7662/introspection.controller.js';
import { RefreshTokenService } from './tokens/refresh-token.service.js';
import { AccessTokenVerifier } from './tokens/access-token-verifier.service.js';
import { KeyStoreService } from './tokens/key-store.service.js';
import { SigningKeys } from './tokens/signing-keys.service.js';
import { TokenPurgeService } from './tokens/token-purge.service.js';
import { TokenService } from './tokens/token.service.js';
import { ResourceIndicators } from './server/rfc8707/resource-indicators.service.js';

const optionProviders: Provider[] = [
  { provide: AUTH_OPTIONS, inject: [AUTH_MODULE_OPTIONS], useFactory: (raw: AuthModuleOptions) => resolveAuthOptions(raw) },
  { provide: AUTH_DATA_SOURCE, inject: [AUTH_OPTIONS], useFactory: (options: ResolvedAuthOptions) => openDataSource(options.database) },
];

/** Services other modules may inject (with `isGlobal: true`, everywhere). */
const exported = [AUTH_OPTIONS, Clock, AuthEvents, AuditTrail, AuthHealth, BearerAuthGuard, AuthnestPassportGuard, BEARER_TOKEN_VERIFIER, BEARER_REALM, DPOP_BINDING, AccessTokenVerifier, TokenService, ClientService, KeyStoreService, SigningKeys, TokenPurgeService, InteractionService, PageResponder, UserInfoService, LogoutService, ResourceIndicators, AuthAdminService];

/**
 * The authorization server, token service and resource guards as one module:
 * `AuthModule.forRoot({ issuer, ... })` or `AuthModule.forRootAsync({ imports, inject, useFactory })`.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [
    TokenController,
    JwksController,
    MetadataController,
    RevocationController,
    IntrospectionController,
    ...browserFlowControllers,
    ...openIdControllers,
    ...deviceFlowControllers,
    ...registrationControllers,
    ...pushedAuthorizationControllers,
  ],
  providers: [
    ...optionProviders,
    DataSourceLifecycle,
    ...redisProviders,
    Clock,
    AuthEvents,
    ...auditProviders,
    ClientStore,
    AccessTokenStore,
    SigningKeyStore,
    AuthorizationCodeStore,
    RefreshTokenStore,
    SessionStore,
    ConsentStore,
    InteractionStore,
    RateLimitStore,
    NonceStore,
    SessionClientStore,
    GrantRevocationService,
    AuthorizationCodeService,
    encryptionSecretProvider,
    KeyStoreService,
    SigningKeys,
    TokenService,
    AccessTokenVerifier,
    TokenPurgeService,
    ClientService,
    ClientSeeder,
    ClientAuthenticator,
    GrantRegistry,
    ClientCredentialsGrant,
    RefreshTokenService,
    AuthorizationCodeGrant,
    RefreshTokenGrant,
    ResourceIndicators,
    IssuedTokenLookup,
    RevocationEndpoint,
    IntrospectionEndpoint,
    TokenEndpoint,
    FastPath,
    RequestIds,
    RequestListener,
    AuthHealth,
    ServerMetadata,
    BearerAuthGuard,
    AuthnestBearerStrategy,
    AuthnestPassportGuard,
    { provide: BEARER_TOKEN_VERIFIER, useExisting: AccessTokenVerifier },
    { provide: BEARER_REALM, inject: [AUTH_OPTIONS], useFactory: (options: ResolvedAuthOptions) => options.resource.realm },
    ...browserFlowProviders,
    ...openIdProviders,
    ...jwtAssertionProviders,
    ...deviceFlowProviders,
    ...registrationProviders,
    ...dpopProviders,
    ...tokenExchangeProviders,
    ...pushedAuthorizationProviders,
    ...adminProviders,
    { provide: APP_FILTER, useClass: OAuthExceptionFilter },
  ],
  exports: exported,
})
export class AuthModule extends AuthModuleBase {}
