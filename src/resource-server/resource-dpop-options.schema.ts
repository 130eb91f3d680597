import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DPOP_ALGORITHMS } from '../options/dpop-options.schema.js';

/** class-validator mirror of `ResourceDpopOptions` (`origin` is checked by the resolver). */
export class ResourceDpopOptionsSchema {
  @IsString() origin: string;
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(DPOP_ALGORITHMS, { each: true }) algorithms?: string[];
  @IsOptional() @IsInt() @Min(10) @Max(600) proofMaxAge?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60) leeway?: number;
}
