import { ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** class-validator mirror of `ResourceServerOptions` (the URI itself is checked by `resolveResourceIndicators`). */
export class ResourceServerSchema {
  @IsString() @MinLength(1) @MaxLength(1024) uri: string;
  @IsArray() @ArrayUnique() @Matches(SCOPE_TOKEN, { each: true, message: 'each scope must be an RFC 6749 scope token' }) scopes: string[];
  @IsOptional() @IsIn(['jwt', 'opaque']) accessTokenFormat?: string;
  @IsOptional() @IsInt() @Min(30) @Max(86_400) accessTokenTtl?: number;
}
