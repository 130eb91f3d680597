import { ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ASYMMETRIC_JWS_ALGORITHMS } from '../internal/jws-algorithms.js';
import type { DpopAlgorithm } from './dpop-options.interface.js';

/** Every algorithm a proof may use. */
export const DPOP_ALGORITHMS: readonly DpopAlgorithm[] = ASYMMETRIC_JWS_ALGORITHMS;

/** class-validator mirror of `DpopOptions` (`resourceOrigin` is checked by the resolver). */
export class DpopOptionsSchema {
  @IsOptional() @IsBoolean() required?: boolean;
  @IsOptional() @IsBoolean() requireNonce?: boolean;
  @IsOptional() @IsInt() @Min(60) @Max(3600) nonceLifetime?: number;
  @IsOptional() @IsInt() @Min(10) @Max(600) proofMaxAge?: number;
  @IsOptional() @IsInt() @Min(0) @Max(60) leeway?: number;
  @IsOptional() @IsArray() @ArrayNotEmpty() @ArrayUnique() @IsIn(DPOP_ALGORITHMS, { each: true }) algorithms?: string[];
  @IsOptional() @IsString() resourceOrigin?: string;
}
