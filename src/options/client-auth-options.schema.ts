import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** class-validator mirror of `ClientAssertionOptions`. */
export class ClientAssertionOptionsSchema {
  @IsOptional() @IsInt() @Min(10) @Max(3600) maxLifetime?: number;
  @IsOptional() @IsInt() @Min(0) @Max(86_400) jwksCacheTtl?: number;
  @IsOptional() @IsInt() @Min(100) @Max(30_000) jwksTimeoutMs?: number;
  @IsOptional() @IsBoolean() allowPrivateJwksUri?: boolean;
}
