import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../../resource/public.decorator.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { ServerMetadata, type AuthorizationServerMetadata } from './server-metadata.service.js';
import { OpenApiOperation, OpenApiTag } from '../../openapi/openapi-decorators.js';
import { OAUTH_METADATA_OPERATION, OPENID_CONFIGURATION_OPERATION } from '../../openapi/discovery.openapi.js';

export type { AuthorizationServerMetadata } from './server-metadata.service.js';

/**
 * Serves the metadata document at `/.well-known/oauth-authorization-server` (RFC 8414 section 3) and at
 * `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 section 4): the same document.
 */
@Public()
@Controller()
@OpenApiTag('discovery')
export class MetadataController {
  constructor(private readonly metadata: ServerMetadata) {}

  @Get(ENDPOINT_PATHS.metadata)
  @OpenApiOperation(OAUTH_METADATA_OPERATION)
  @Header('Cache-Control', 'public, max-age=300')
  oauthMetadata(): AuthorizationServerMetadata {
    return this.metadata.document();
  }

  @Get(ENDPOINT_PATHS.openidConfiguration)
  @OpenApiOperation(OPENID_CONFIGURATION_OPERATION)
  @Header('Cache-Control', 'public, max-age=300')
  openidConfiguration(): AuthorizationServerMetadata {
    return this.metadata.document();
  }
}
