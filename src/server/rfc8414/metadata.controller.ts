import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { ServerMetadata, type AuthorizationServerMetadata } from './server-metadata.service.js';

export type { AuthorizationServerMetadata } from './server-metadata.service.js';

/**
 * Serves the metadata document at `/.well-known/oauth-authorization-server` (RFC 8414 section 3) and at
 * `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 section 4): the same document.
 */
@Public()
@Controller()
export class MetadataController {
  constructor(private readonly metadata: ServerMetadata) {}

  @Get(ENDPOINT_PATHS.metadata)
  @Header('Cache-Control', 'public, max-age=300')
  oauthMetadata(): AuthorizationServerMetadata {
    return this.metadata.document();
  }

  @Get(ENDPOINT_PATHS.openidConfiguration)
  @Header('Cache-Control', 'public, max-age=300')
  openidConfiguration(): AuthorizationServerMetadata {
    return this.metadata.document();
  }
}
