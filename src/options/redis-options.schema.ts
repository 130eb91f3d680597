import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** class-validator mirror of `AuthRedisOptions` (the URL's scheme is checked by `resolveRedisOptions`). */
export class AuthRedisOptionsSchema {
  @IsString() @MinLength(1) url: string;
  @IsOptional() @IsString() @MaxLength(128) @Matches(/^[\x21-\x7E]*$/, { message: 'keyPrefix must be printable ASCII without spaces' }) keyPrefix?: string;
  @IsOptional() @IsInt() @Min(100) @Max(60_000) connectTimeout?: number;
  @IsOptional() @IsInt() @Min(10) @Max(10_000) commandTimeout?: number;
}
