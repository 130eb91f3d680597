import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** class-validator mirror of `PushedAuthorizationOptions`. */
export class PushedAuthorizationOptionsSchema {
  @IsOptional() @IsInt() @Min(10) @Max(600) ttl?: number;
  @IsOptional() @IsBoolean() required?: boolean;
}
