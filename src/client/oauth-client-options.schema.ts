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

/** class-validator mirror of `OAuthProviderOptions`. */
export class OAuthProviderOptionsSchema {
  @IsOptional() @IsString() issuer?: string;
  @IsOptional() @ValidateNested() @Type(() => ProviderEndpointsSchema) endpoints?: ProviderEndpointsSchema;
  @IsString() @MinLength(1) @MaxLength(255) @Matches(/^[\x20-\x7E]+$/, { message: 'clientId must be printable ASCII' }) clientId: string;
  @IsOptional() @IsString() @MinLength(1) @MaxLength(512) clientSecret?: string;
  @IsOptional() @IsIn(['client_secret_basic', 'client_secret_post', 'none']) authMethod?: string;
  @IsOptional() @IsArray() @ArrayUnique() @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+$/, { each: true, message: 'each scope must be an RFC 6749 scope token' })
  scopes?: string[];
}

/** class-validator mirror of the top-level options (each provider is checked on its own, by name). */
export class OAuthClientModuleOptionsSchema {
  @IsObject() providers: Record<string, unknown>;
  @IsOptional() @IsInt() @Min(100) @Max(60_000) timeoutMs?: number;
  @IsOptional() @IsInt() @Min(0) @Max(600) refreshSkew?: number;
}
