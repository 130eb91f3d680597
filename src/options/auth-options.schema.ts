import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsBoolean,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AuthorizationOptionsSchema,
  InteractionOptionsSchema,
  LoginRateLimitOptionsSchema,
  RefreshTokenOptionsSchema,
} from './flow-options.schema.js';
import { ClientAssertionOptionsSchema } from './client-auth-options.schema.js';
import { JwtBearerOptionsSchema } from './jwt-bearer-options.schema.js';
import { OpenIdOptionsSchema } from './oidc-options.schema.js';
import { DeviceFlowOptionsSchema } from './device-flow-options.schema.js';
import { RegistrationOptionsSchema } from './registration-options.schema.js';
import { PushedAuthorizationOptionsSchema } from './pushed-authorization-options.schema.js';
import { ResourceServerSchema } from './resource-indicators-options.schema.js';
import { DpopOptionsSchema } from './dpop-options.schema.js';
import { AuditOptionsSchema } from './audit-options.schema.js';
import { AuthRedisOptionsSchema } from './redis-options.schema.js';
import { RequestIdOptionsSchema } from './request-id-options.schema.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const CLIENT_ID = /^[\x21-\x7E]+$/;

/** class-validator mirror of `AccessTokenOptions`. */
export class AccessTokenOptionsSchema {
  @IsOptional() @IsIn(['jwt', 'opaque']) format?: string;
  @IsOptional() @IsInt() @Min(30) @Max(86_400) ttl?: number;
  @IsOptional() @IsString() @MinLength(1) audience?: string;
}

/** class-validator mirror of `SigningOptions`. */
export class SigningOptionsSchema {
  @IsOptional() @IsIn(['ES256', 'RS256', 'EdDSA']) algorithm?: string;
  @IsOptional() @IsString() @MinLength(32, { message: 'encryptionSecret must be at least 32 characters' }) encryptionSecret?: string;
  @IsOptional() @IsString() @MinLength(1) secretFile?: string;
  @IsOptional() @IsInt() @Min(1) @Max(3600) reloadInterval?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2_592_000) propagationDelay?: number;
}

/** class-validator mirror of `ResourceOptions`. */
export class ResourceOptionsSchema {
  @IsOptional() @IsInt() @Min(0) @Max(60) leeway?: number;
  @IsOptional() @IsInt() @Min(0) @Max(3600) jwtCacheTtl?: number;
  @IsOptional() @IsInt() @Min(0) @Max(3600) opaqueCacheTtl?: number;
  @IsOptional() @IsString() @MinLength(1) @Matches(/^[^"\\\r\n]*$/) realm?: string;
}

/** class-validator mirror of `ClientSeed`. */
export class ClientSeedSchema {
  @IsString() @MinLength(1) @MaxLength(255) @Matches(CLIENT_ID, { message: 'clientId must be printable ASCII without spaces' })
  clientId: string;
  @IsOptional() @IsString() @MinLength(8) @MaxLength(512) clientSecret?: string;
  @IsOptional() @IsString() @MaxLength(255) name?: string;
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'], { each: true })
  authMethods?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) grantTypes?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @Matches(SCOPE_TOKEN, { each: true }) scopes?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @Matches(SCOPE_TOKEN, { each: true }) defaultScopes?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) redirectUris?: string[];
  @IsOptional() @IsIn(['jwt', 'opaque']) accessTokenFormat?: string;
  @IsOptional() @IsString() @MinLength(1) audience?: string;
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) resources?: string[];
  @IsOptional() @IsBoolean() firstParty?: boolean;
  @IsOptional() @IsBoolean() allowIntrospection?: boolean;
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) postLogoutRedirectUris?: string[];
  @IsOptional() @IsString() backchannelLogoutUri?: string;
  @IsOptional() @IsIn(['public', 'pairwise']) subjectType?: string;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9.-]{1,253}$/, { message: 'sectorIdentifier must be a host name' }) sectorIdentifier?: string;
  @IsOptional() @IsBoolean() requirePushedAuthorizationRequests?: boolean;
  @IsOptional() @IsBoolean() dpopBoundAccessTokens?: boolean;
  @IsOptional() @IsObject() jwks?: Record<string, unknown>;
  @IsOptional() @IsString() jwksUri?: string;
  @IsOptional() @IsString() @Matches(/^(?:[RP]S|ES)(?:256|384|512)$|^EdDSA$|^Ed25519$|^HS(?:256|384|512)$/, { message: 'tokenEndpointAuthSigningAlg must be a JWS algorithm other than none' })
  tokenEndpointAuthSigningAlg?: string;
}

/** class-validator mirror of the SQLite database options. */
export class SqliteDatabaseSchema {
  @IsIn(['sqlite']) type: string;
  @IsOptional() @IsString() @MinLength(1) path?: string;
  @IsOptional() @IsIn(['run', 'check']) migrations?: string;
}

/** class-validator mirror of the PostgreSQL database options. */
export class PostgresDatabaseSchema {
  @IsIn(['postgres']) type: string;
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'url must be a postgres:// URL' }) url: string;
  @IsOptional() @IsString() @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/) schema?: string;
  @IsOptional() @IsInt() @Min(1) @Max(500) poolSize?: number;
  @IsOptional() @IsIn(['run', 'check']) migrations?: string;
}

/** class-validator mirror of the top-level options (database is checked on its own, by kind). */
export class AuthModuleOptionsSchema {
  @IsString() issuer: string;
  @IsOptional() database?: unknown;
  @IsOptional() @ValidateNested() @Type(() => AccessTokenOptionsSchema) accessToken?: AccessTokenOptionsSchema;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ResourceServerSchema) resources?: ResourceServerSchema[];
  @IsOptional() @ValidateNested() @Type(() => SigningOptionsSchema) signing?: SigningOptionsSchema;
  @IsOptional() @IsArray() @ArrayUnique() @Matches(SCOPE_TOKEN, { each: true, message: 'each scope must be an RFC 6749 scope token' })
  scopes?: string[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ClientSeedSchema) clients?: ClientSeedSchema[];
  @IsOptional() @ValidateNested() @Type(() => ResourceOptionsSchema) resource?: ResourceOptionsSchema;
  @IsOptional() @IsInt() @Min(0) @Max(3600) clientSecretCacheTtl?: number;
  @IsOptional() @IsInt() @Min(0) @Max(3600) clientCacheTtl?: number;
  @IsOptional() @IsBoolean() fastPath?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(604_800) purgeInterval?: number;
  @IsOptional() @ValidateNested() @Type(() => AuthorizationOptionsSchema) authorization?: AuthorizationOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => RefreshTokenOptionsSchema) refreshToken?: RefreshTokenOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => InteractionOptionsSchema) interaction?: InteractionOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => LoginRateLimitOptionsSchema) loginRateLimit?: LoginRateLimitOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => OpenIdOptionsSchema) oidc?: OpenIdOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => DeviceFlowOptionsSchema) deviceFlow?: DeviceFlowOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => ClientAssertionOptionsSchema) clientAssertions?: ClientAssertionOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => RegistrationOptionsSchema) registration?: RegistrationOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => PushedAuthorizationOptionsSchema) par?: PushedAuthorizationOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => DpopOptionsSchema) dpop?: DpopOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => AuditOptionsSchema) audit?: AuditOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => JwtBearerOptionsSchema) jwtBearer?: JwtBearerOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => AuthRedisOptionsSchema) redis?: AuthRedisOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => RequestIdOptionsSchema) requestIds?: RequestIdOptionsSchema;
}
