import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { RateLimitWindowSchema } from './flow-options.schema.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** RFC 6750 section 2.1 `b64token`: what a Bearer token may be made of. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** class-validator mirror of `RegistrationOptions`. */
export class RegistrationOptionsSchema {
  @IsOptional() @IsIn(['disabled', 'open', 'initial-access-token']) mode?: string;
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(32, { each: true, message: 'each initial access token must be at least 32 characters' })
  @Matches(B64TOKEN, { each: true, message: 'each initial access token must be made of RFC 6750 b64token characters' })
  initialAccessTokens?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @Matches(SCOPE_TOKEN, { each: true }) allowedScopes?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @Matches(SCOPE_TOKEN, { each: true }) defaultScopes?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) grantTypes?: string[];
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'], { each: true })
  authMethods?: string[];
  @IsOptional() @IsInt() @Min(0) @Max(31_536_000) registrationAccessTokenTtl?: number;
  @IsOptional() @IsInt() @Min(16) @Max(64) secretBytes?: number;
  @IsOptional() @ValidateNested() @Type(() => RateLimitWindowSchema) rateLimit?: RateLimitWindowSchema;
}
