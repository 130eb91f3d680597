import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { OAuthExceptionFilter } from '../errors/oauth-exception.filter.js';
import { Clock } from '../internal/clock.js';
import { BEARER_REALM, BEARER_TOKEN_VERIFIER } from '../resource/bearer-token-verifier.js';
import { DPOP_BINDING } from '../resource/dpop-binding.js';
import { AuthnestBearerStrategy, AuthnestPassportGuard } from '../resource/bearer.strategy.js';
import { BearerAuthGuard } from '../resource/bearer-auth.guard.js';
import type { AuthResourceModuleOptions } from './auth-resource-options.interface.js';
import { AUTH_RESOURCE_MODULE_OPTIONS, AUTH_RESOURCE_OPTIONS, AuthResourceModuleBase } from './auth-resource.module-definition.js';
import { IntrospectionClient } from './introspection-client.service.js';
import { IssuerMetadataService } from './issuer-metadata.service.js';
import { RemoteAccessTokenVerifier } from './remote-access-token-verifier.service.js';
import { remoteDpopProvider } from './remote-dpop.provider.js';
import { RemoteJwksService } from './remote-jwks.service.js';
import { resolveAuthResourceOptions, type ResolvedAuthResourceOptions } from './resolve-auth-resource-options.js';

/**
 * The resource-server half of authnest for an API in another process than the authorization server:
 * `AuthResourceModule.forRoot({ issuer, audience, introspection? })` or `forRootAsync({ imports, inject, useFactory })`.
 * `@RequireScope`, `@Public`, `@CurrentToken`, `BearerAuthGuard` and `AuthnestPassportGuard` work as with
 * `AuthModule`; tokens are verified against the issuer's JWKS (JWTs) or by its introspection endpoint (opaque).
 * Nothing is fetched at boot: the issuer may start after the API.
 */
@Module({
  providers: [
    {
      provide: AUTH_RESOURCE_OPTIONS,
      inject: [AUTH_RESOURCE_MODULE_OPTIONS],
      useFactory: (raw: AuthResourceModuleOptions) => resolveAuthResourceOptions(raw),
    },
    Clock,
    IssuerMetadataService,
    RemoteJwksService,
    IntrospectionClient,
    RemoteAccessTokenVerifier,
    { provide: BEARER_TOKEN_VERIFIER, useExisting: RemoteAccessTokenVerifier },
    { provide: BEARER_REALM, inject: [AUTH_RESOURCE_OPTIONS], useFactory: (options: ResolvedAuthResourceOptions) => options.realm },
    remoteDpopProvider,
    BearerAuthGuard,
    AuthnestBearerStrategy,
    AuthnestPassportGuard,
    { provide: APP_FILTER, useClass: OAuthExceptionFilter },
  ],
  exports: [AUTH_RESOURCE_OPTIONS, Clock, BEARER_TOKEN_VERIFIER, BEARER_REALM, DPOP_BINDING, BearerAuthGuard, AuthnestPassportGuard, RemoteAccessTokenVerifier],
})
export class AuthResourceModule extends AuthResourceModuleBase {}
