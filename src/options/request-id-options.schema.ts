import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';

/** An HTTP header name (RFC 9110 section 5.1 token), up to 64 characters. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/** class-validator mirror of `RequestIdOptions`. */
export class RequestIdOptionsSchema {
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsString() @Matches(HEADER_NAME, { message: 'header must be an HTTP header name (up to 64 characters)' }) header?: string;
  @IsOptional() @IsBoolean() trustIncoming?: boolean;
}
