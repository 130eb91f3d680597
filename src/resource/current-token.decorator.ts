import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AccessTokenInfo } from '../tokens/access-token-info.js';
import { REQUEST_TOKEN, type RequestWithToken } from './request-token.js';

/**
 * Injects the verified access token (`AccessTokenInfo`) of a guarded route, or one of its fields:
 * `@CurrentToken() token`, `@CurrentToken('sub') userId`. Undefined on `@Public()` routes.
 */
export const CurrentToken = createParamDecorator(
  (field: keyof AccessTokenInfo | undefined, context: ExecutionContext): unknown => {
    const token = context.switchToHttp().getRequest<RequestWithToken>()[REQUEST_TOKEN];
    return field && token ? token[field] : token;
  },
);
