export { AuthModule } from './auth.module.js';
export type { AuthModuleExtras } from './auth.module-definition.js';
export { AUTH_OPTIONS } from './auth.tokens.js';
export * from './options/auth-options.interface.js';
export type { ResolvedAuthOptions, ResolvedClientSeed } from './options/resolved-options.js';
export { AuthConfigError } from './options/auth-config.error.js';
export * from './errors/index.js';
export { Clock } from './internal/clock.js';
export { authnestEntities, AccessTokenEntity, ClientEntity, SigningKeyEntity } from './persistence/entities/index.js';
export { authnestMigrations } from './persistence/migrations/index.js';
export { applyMigrations, buildDataSourceOptions, MIGRATIONS_TABLE } from './persistence/data-source.factory.js';
export { prepareSqliteConnection, type SqlitePragmas } from './persistence/sqlite-tuning.js';
export { ENDPOINT_PATHS } from './server/endpoint-paths.js';
export { OAuthGrant } from './server/rfc6749/grants/grant-handler.js';
export type { GrantContext, GrantHandler, TokenResponse } from './server/rfc6749/grants/grant-handler.js';
export { grantableScopes } from './server/rfc6749/scope-policy.js';
export type { TokenTypeHint } from './server/rfc7009/issued-token-lookup.service.js';
export type { ActiveTokenIntrospection, IntrospectionResponse } from './server/rfc7662/introspection-endpoint.service.js';
export type { FormParameters, ProtocolRequest } from './server/rfc6749/token-request.js';
export { ClientService, type ClientInfo } from './server/clients/client.service.js';
export type { AuthorizationServerMetadata } from './server/rfc8414/server-metadata.service.js';
export { TokenService, type AccessTokenRequest, type IssuedAccessToken } from './tokens/token.service.js';
export { AccessTokenVerifier } from './tokens/access-token-verifier.service.js';
export type { AccessTokenInfo } from './tokens/access-token-info.js';
export { KeyStoreService, type PublicJwk } from './tokens/key-store.service.js';
export { SigningKeys, type SigningKeyInfo, type RotatedSigningKey, type RotateSigningKeyOptions } from './tokens/signing-keys.service.js';
export type { SigningKeyState } from './tokens/signing-key-lifecycle.js';
export { TokenPurgeService } from './tokens/token-purge.service.js';
export { hashClientSecret, verifyClientSecret } from './tokens/client-secret-hasher.js';
export { BearerAuthGuard } from './resource/bearer-auth.guard.js';
export { RequireScope, RequireAnyScope } from './resource/require-scope.decorator.js';
export { SCOPE_REQUIREMENT, type ScopeRequirement, type ScopeRequirementSpec } from './resource/scope-requirement.js';
export { Public } from './resource/public.decorator.js';
export { CurrentToken } from './resource/current-token.decorator.js';
export { AUTHNEST_BEARER, AuthnestBearerStrategy, AuthnestPassportGuard } from './resource/bearer.strategy.js';
export { AuthResourceModule } from './resource-server/auth-resource.module.js';
export type { AuthResourceModuleExtras } from './resource-server/auth-resource.module-definition.js';
export * from './resource-server/auth-resource-options.interface.js';
export { ACCOUNT_SERVICE, type AccountService, type Account, type ClaimsRequestDetails } from './server/accounts/account.service.js';
export type { Authentication } from './server/accounts/authentication.js';
export {
  InteractionService,
  InteractionError,
  type InteractionDetails,
  type InteractionErrorReason,
} from './server/interaction/interaction.service.js';
export { PageResponder } from './server/interaction/http/page-responder.service.js';
export type { PageResponse, PageCookie } from './server/interaction/http/page-response.js';
export type { BrowserRequest } from './server/interaction/http/browser-request.js';
export type { PromptValue, ResponseMode } from './server/authorize/authorization-request.js';
export * from './options/oidc-options.interface.js';
export * from './options/device-flow-options.interface.js';
export * from './options/registration-options.interface.js';
export * from './options/client-auth-options.interface.js';
export * from './options/jwt-bearer-options.interface.js';
export * from './options/dpop-options.interface.js';
export type { ResourceDpopOptions } from './resource-server/resource-dpop-options.interface.js';
export * from './options/resource-indicators-options.interface.js';
export {
  ResourceIndicators,
  requestedResources,
  type AccessTokenTarget,
  type AccessTokenTargetOptions,
} from './server/rfc8707/resource-indicators.service.js';
export { JWT_BEARER_GRANT } from './server/rfc7523/jwt-bearer.grant.js';
export { TOKEN_EXCHANGE_GRANT, TOKEN_TYPES, type ExchangeTokenType } from './server/rfc8693/token-types.js';
export {
  TOKEN_EXCHANGE_POLICY,
  type TokenExchangePolicy,
  type TokenExchangeRequest,
  type TokenExchangeDecision,
  type TokenExchangeOutcome,
  type ExchangedToken,
  type ActorClaim,
  type MayActClaim,
} from './server/rfc8693/token-exchange-policy.js';
export { DEVICE_CODE_GRANT_TYPE } from './server/rfc8628/device-codes.service.js';
export { STANDARD_SCOPE_CLAIMS } from './server/oidc/standard-claims.js';
export type { RequestedClaims } from './server/oidc/claims-request.js';
export { BACKCHANNEL_LOGOUT_EVENT } from './server/oidc/logout/backchannel-logout.service.js';
export { UserInfoService } from './server/oidc/userinfo.service.js';
export { LogoutService } from './server/oidc/logout/logout.service.js';
export { OAuthClientModule } from './client/oauth-client.module.js';
export type { OAuthClientModuleExtras } from './client/oauth-client.module-definition.js';
export * from './client/oauth-client-options.interface.js';
export { OAuthClient, type ClientCredentialsRequest, type AuthorizedFetchOptions } from './client/oauth-client.js';
export { OAuthClients } from './client/oauth-clients.service.js';
export { InjectOAuthClient, oauthClientToken } from './client/inject-oauth-client.decorator.js';
export { OAuthClientError } from './client/oauth-client.error.js';
export type { ProviderTokens } from './client/token-request.js';
export type { ProviderMetadata } from './client/provider-metadata.js';
export { OAuthLogin, type FinishedLogin } from './client/login/oauth-login.service.js';
export { OAuthSessionGuard, OAuthUser } from './client/login/oauth-session.guard.js';
export type { OAuthSession } from './client/login/login-state.js';
export { OAuthSessionTokens } from './client/login/session-tokens.service.js';
export { OAuthUserInfo, type UserInfoReadOptions } from './client/login/session-userinfo.service.js';
export { AUTHNEST_OAUTH_SESSION, OAuthSessionStrategy, OAuthPassportGuard } from './client/passport/oauth-session.strategy.js';
export { OAUTH_CLIENT_STORE, type OAuthClientStore } from './client/oauth-client-store.js';
export { RedisClientStore } from './client/redis-client-store.js';
export * from './events/auth-event-map.js';
export { AuthEvents } from './events/auth-events.service.js';
export type { AuditOptions } from './options/audit-options.interface.js';
export { AuditTrail } from './audit/audit-trail.service.js';
export type { AuditQuery, AuditRecord } from './audit/audit-record.js';
export { currentRequestId } from './internal/request-context.js';
export { AuthHealth } from './health/auth-health.service.js';
export type * from './health/auth-health-report.js';
export { AuthAdminService } from './admin/auth-admin.service.js';
export { AuthAdminError, type AuthAdminErrorReason } from './admin/auth-admin.error.js';
export type {
  AdminClient,
  AdminOperationOptions,
  AdminRotateKeyOptions,
  ClientChanges,
  CreatedClient,
  DisabledClient,
  GrantOwner,
  MigrationStatus,
  NewClient,
  RevokedGrants,
  RotatedClientSecret,
  SweptGrants,
} from './admin/auth-admin.types.js';
export {
  addAuthnestOpenApi,
  AUTHNEST_SECURITY,
  AUTHNEST_SECURITY_SCHEMES,
  AUTHNEST_OPENAPI_TAGS,
  type AuthnestSecurityScheme,
  type AuthnestOpenApiTag,
  type OpenApiDocumentBuilder,
} from './openapi/authnest-openapi.js';
export {
  AUTHNEST_ENV,
  authModuleOptionsOf,
  databaseFromEnvironment,
  readAuthnestConfig,
  type AuthnestConfig,
  type ReadAuthnestConfigOptions,
} from './options/authnest-config.js';
