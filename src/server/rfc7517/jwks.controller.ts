import { Controller, Get, Header } from '@nestjs/common';
import { JWKS_MAX_AGE } from '../../options/resolve-signing-options.js';
import { Public } from '../../resource/public.decorator.js';
import { KeyStoreService, type PublicJwk } from '../../tokens/key-store.service.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { JWKS_OPERATION } from '../../openapi/discovery.openapi.js';

/**
 * The JWK Set of the server's signing keys (RFC 7517 section 5): public members only; pending (rotated, not yet
 * signing) and retiring keys included, revoked ones not. Cached by clients for `JWKS_MAX_AGE` seconds.
 */
@Public()
@Controller()
@OpenApiTag('discovery')
export class JwksController {
  constructor(private readonly keys: KeyStoreService) {}

  @Get(ENDPOINT_PATHS.jwks)
  @OpenApiOperation(JWKS_OPERATION)
  @Header('Cache-Control', `public, max-age=${JWKS_MAX_AGE}`)
  async jwks(): Promise<{ keys: readonly PublicJwk[] }> {
    return { keys: await this.keys.currentPublicKeys() };
  }
}
