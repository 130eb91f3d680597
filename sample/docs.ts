import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addAuthnestOpenApi } from 'authnest';

/** Where Swagger UI is served; the OpenAPI document is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = 'docs';

/**
 * Serves Swagger UI at `/docs` and the OpenAPI document at `/docs-json`: the sample's own API and authnest's protocol
 * endpoints (token, revocation, introspection, UserInfo, registration, device authorization, PAR, metadata, JWKS),
 * described by the controllers themselves. Call it before `app.listen()`.
 */
export function setupDocs(app: INestApplication): void {
  const config = addAuthnestOpenApi(
    new DocumentBuilder()
      .setTitle('authnest sample')
      .setDescription('The sample API and the OAuth 2.1 / OpenID Connect endpoints of authnest. Demo client: `demo-client` / `demo-secret`.')
      .setVersion('1.0'),
  ).build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config));
}
