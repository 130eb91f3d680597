import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

/** class-validator mirror of `ProviderEndpoints` (URL rules are checked in `resolveOAuthClientOptions`). */
export class ProviderEndpointsSchema {
  @IsOptional() @IsString() token?: string;
  @IsOptional() @IsString() authorization?: string;
  @IsOptional() @IsString() userinfo?: string;
  @IsOptional() @IsString() jwks?: string;
  @IsOptional() @IsString() revocation?: string;
}

/** class-validator mirror of `ProviderLoginOptions` (URL rules are checked in `resolveOAuthClientOptions`). */
export class ProviderLoginOptionsSchema {
  @IsString() redirectUri: string;
  @IsOptional() @IsArray() @ArrayUnique() @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { each: true, message: 'each scope must be an RFC 6749 scope token' })
  scopes?: string[];
  @IsOptional() @IsString() postLogoutRedirectUri?: string;
}

/** class-validator mirror of `OAuthProviderOptions`. */
export class OAuthProviderOptionsSchema {
  @IsOptional() @IsString() issuer?: string;
  @IsOptional() @ValidateNested() @Type(() => ProviderEndpointsSchema) endpoints?: ProviderEndpointsSchema;
  @IsString() @MinLength(1) @MaxLength(255) @Matches(/^[\x20-\x7E]+$/, { message: 'clientId must be printable ASCII' }) clientId: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(512) clientSecret?: string;
  @IsOptional() @IsIn(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']) authMethod?: string;
  @IsOptional() @IsObject() privateKey?: Record<string, unknown>;
  @IsOptional() @IsArray() @ArrayUnique() @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { each: true, message: 'each scope must be an RFC 6749 scope token' })
  scopes?: string[];
  @IsOptional() @ValidateNested() @Type(() => ProviderLoginOptionsSchema) login?: ProviderLoginOptionsSchema;
}

/** class-validator mirror of `OAuthClientRedisOptions` (the URL's scheme is checked in `resolveOAuthClientOptions`). */
export class OAuthClientRedisOptionsSchema {
  @IsString() @MinLength(1) url: string;
  @IsOptional() @IsString() @MaxLength(128) @Matches(/^[\x21-\x7E]*$/, { message: 'keyPrefix must be printable ASCII without spaces' }) keyPrefix?: string;
}

/** class-validator mirror of the top-level options (each provider is checked on its own, by name). */
export class OAuthClientModuleOptionsSchema {
  @IsObject() providers: Record<string, unknown>;
  @IsOptional() @IsInt() @Min(100) @Max(60_000) timeoutMs?: number;
  @IsOptional() @IsInt() @Min(0) @Max(600) refreshSkew?: number;
  @IsOptional() database?: unknown;
  @IsOptional() @ValidateNested() @Type(() => OAuthClientRedisOptionsSchema) redis?: OAuthClientRedisOptionsSchema;
  @IsOptional() @IsString() @MinLength(32, { message: 'encryptionSecret must be at least 32 characters' }) encryptionSecret?: string;
  @IsOptional() @IsInt() @Min(60) @Max(2_592_000) sessionTtl?: number;
  @IsOptional() @IsInt() @Min(60) @Max(3600) loginTtl?: number;
  @IsOptional() @IsInt() @Min(0) @Max(86_400) userInfoTtl?: number;
  @IsOptional() @IsString() @Matches(/^\/(?![/\\])[\x21-\x7E]*$/, { message: 'loginPath must be a path of this app, such as /login' }) loginPath?: string;
}
