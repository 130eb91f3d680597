import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../internal/jws-algorithms.js';
import type { IntrospectionAuthMethod, RemoteJwsAlgorithm } from './auth-resource-options.interface.js';
import { ResourceDpopOptionsSchema } from './resource-dpop-options.schema.js';

/** Every accepted algorithm. */
export const REMOTE_JWS_ALGORITHMS: readonly RemoteJwsAlgorithm[] = ASYMMETRIC_JWS_ALGORITHMS;

const AUTH_METHODS = Object.keys({ client_secret_basic: true, client_secret_post: true } satisfies Record<IntrospectionAuthMethod, true>);

/** class-validator mirror of `RemoteJwksOptions` (URLs are checked by the resolver). */
export class RemoteJwksOptionsSchema {
  @IsOptional() @IsString() uri?: string;
  @IsOptional() @IsInt() @Min(1) @Max(3600) refetchInterval?: number;
  @IsOptional() @IsInt() @Min(1) @Max(86_400) cacheTtl?: number;
}

/** class-validator mirror of `IntrospectionOptions`. */
export class IntrospectionOptionsSchema {
  @IsOptional() @IsString() endpoint?: string;
  @IsString() @MinLength(1) @MaxLength(255) @Matches(/^[\x20-\x7E]+$/, { message: 'clientId must be printable ASCII' }) clientId: string;
  @IsString() @MinLength(1) @MaxLength(512) clientSecret: string;
  @IsOptional() @IsIn(AUTH_METHODS) authMethod?: string;
  @IsOptional() @IsInt() @Min(0) @Max(3600) cacheTtl?: number;
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) cacheSize?: number;
}

/** class-validator mirror of `AuthResourceModuleOptions`. */
export class AuthResourceModuleOptionsSchema {
  @IsString() issuer: string;
  @IsString() @MinLength(1) audience: string;
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(REMOTE_JWS_ALGORITHMS, { each: true }) algorithms?: string[];
  @IsOptional() @IsInt() @Min(0) @Max(60) leeway?: number;
  @IsOptional() @ValidateNested() @Type(() => RemoteJwksOptionsSchema) jwks?: RemoteJwksOptionsSchema;
  @IsOptional() @ValidateNested() @Type(() => IntrospectionOptionsSchema) introspection?: IntrospectionOptionsSchema;
  @IsOptional() @IsString() @MinLength(1) @Matches(/^[^"\\\r\n]*$/) realm?: string;
  @IsOptional() @IsInt() @Min(100) @Max(60_000) timeoutMs?: number;
  @IsOptional() @ValidateNested() @Type(() => ResourceDpopOptionsSchema) dpop?: ResourceDpopOptionsSchema;
}
