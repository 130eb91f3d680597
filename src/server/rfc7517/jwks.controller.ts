import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { KeyStoreService, type PublicJwk } from '../../tokens/key-store.service.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';

/** The JWK Set of the server's signing keys (RFC 7517 section 5): public members only. */
@Public()
@Controller()
export class JwksController {
  constructor(private readonly keys: KeyStoreService) {}

  @Get(ENDPOINT_PATHS.jwks)
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: readonly PublicJwk[] } {
    return { keys: this.keys.publicKeys() };
  }
}
