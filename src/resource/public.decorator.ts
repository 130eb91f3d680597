import { Reflector } from '@nestjs/core';

const PublicMetadata = Reflector.createDecorator<true>();

/** Marks a controller or route as open: `BearerAuthGuard` (global or not) lets it through without a token. */
export const Public = (): ClassDecorator & MethodDecorator => PublicMetadata(true);

/** Metadata key reader for `@Public()`. */
export const PUBLIC_METADATA = PublicMetadata;
