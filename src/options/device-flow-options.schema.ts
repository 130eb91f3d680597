import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { RateLimitWindowSchema } from './flow-options.schema.js';

/** class-validator mirror of `UserCodeRateLimitOptions`. */
export class UserCodeRateLimitOptionsSchema {
  @IsOptional() @ValidateNested() @Type(() => RateLimitWindowSchema) perAddress?: RateLimitWindowSchema;
  @IsOptional() @ValidateNested() @Type(() => RateLimitWindowSchema) perBrowser?: RateLimitWindowSchema;
}

/** class-validator mirror of `DeviceFlowOptions`. */
export class DeviceFlowOptionsSchema {
  @IsOptional() @IsInt() @Min(60) @Max(3600) codeTtl?: number;
  @IsOptional() @IsInt() @Min(1) @Max(60) interval?: number;
  @IsOptional() @IsInt() @Min(8) @Max(16) userCodeLength?: number;
  @IsOptional() @IsString() @MinLength(1) verificationUri?: string;
  @IsOptional() @ValidateNested() @Type(() => UserCodeRateLimitOptionsSchema) userCodeRateLimit?: UserCodeRateLimitOptionsSchema;
}
