import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsObject, IsOptional, IsString, MinLength, ValidateNested } from 'class-validator';

/** class-validator mirror of `JwtBearerIssuer`. */
export class JwtBearerIssuerSchema {
  @IsString() @MinLength(1) issuer: string;
  @IsOptional() @IsObject() jwks?: Record<string, unknown>;
  @IsOptional() @IsString() jwksUri?: string;
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) clients?: string[];
}

/** class-validator mirror of `JwtBearerOptions`. */
export class JwtBearerOptionsSchema {
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => JwtBearerIssuerSchema) issuers?: JwtBearerIssuerSchema[];
}
