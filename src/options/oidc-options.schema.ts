import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** class-validator mirror of `OpenIdOptions` (`scopeClaims` entries are checked in `resolveOpenIdOptions`). */
export class OpenIdOptionsSchema {
  @IsOptional() @IsInt() @Min(60) @Max(86_400) idTokenTtl?: number;
  @IsOptional() @IsBoolean() requireNonce?: boolean;
  @IsOptional() @IsBoolean() scopeClaimsInIdToken?: boolean;
  @IsOptional() @IsObject() scopeClaims?: Record<string, unknown>;
  @IsOptional() @IsString() @MinLength(32, { message: 'pairwiseSalt must be at least 32 characters' }) pairwiseSalt?: string;
  @IsOptional() @IsInt() @Min(100) @Max(30_000) backchannelLogoutTimeoutMs?: number;
}
