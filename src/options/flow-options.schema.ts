import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';

/** class-validator mirror of `AuthorizationOptions`. */
export class AuthorizationOptionsSchema {
  @IsOptional() @IsInt() @Min(5) @Max(600) codeTtl?: number;
  @IsOptional() @IsIn(['all-clients', 'public-clients']) pkce?: string;
  @IsOptional() @IsBoolean() allowPlainPkce?: boolean;
}

/** class-validator mirror of `RefreshTokenOptions`. */
export class RefreshTokenOptionsSchema {
  @IsOptional() @IsInt() @Min(60) @Max(31_536_000) ttl?: number;
  @IsOptional() @IsInt() @Min(60) @Max(31_536_000) absoluteTtl?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60) reuseGrace?: number;
}

/** class-validator mirror of `InteractionOptions`. */
export class InteractionOptionsSchema {
  @IsOptional() @IsIn(['builtin', 'custom']) mode?: string;
  @IsOptional() @IsString() @MinLength(1) loginUrl?: string;
  @IsOptional() @IsInt() @Min(60) @Max(3600) ttl?: number;
  @IsOptional() @IsInt() @Min(60) @Max(2_592_000) sessionTtl?: number;
}

/** class-validator mirror of `RateLimitWindow`. */
export class RateLimitWindowSchema {
  @IsInt() @Min(1) @Max(100_000) max: number;
  @IsInt() @Min(1) @Max(86_400) window: number;
}

/** class-validator mirror of `LoginRateLimitOptions`. */
export class LoginRateLimitOptionsSchema {
  @IsOptional() @ValidateNested() @Type(() => RateLimitWindowSchema) perAccount?: RateLimitWindowSchema;
  @IsOptional() @ValidateNested() @Type(() => RateLimitWindowSchema) perAddress?: RateLimitWindowSchema;
}
