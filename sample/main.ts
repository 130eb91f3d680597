import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { DOCS_PATH, setupDocs } from './docs.js';
import { ISSUER, PORT } from './sample.config.js';

/** Boots the sample on Express, or on Fastify with SAMPLE_PLATFORM=fastify. */
async function createApp(): Promise<INestApplication> {
  if (process.env.SAMPLE_PLATFORM === 'fastify') return NestFactory.create(AppModule, new FastifyAdapter());
  const app = await NestFactory.create<NestExpressApplication>(AppModule);
  app.disable('x-powered-by');
  return app;
}

async function main(): Promise<void> {
  mkdirSync('data', { recursive: true });
  const app = await createApp();
  app.enableShutdownHooks();
  setupDocs(app);
  await app.listen(PORT, process.env.HOST ?? '127.0.0.1');
  new Logger('sample').log(`authnest sample listening on ${ISSUER}`);
  console.log(`
Get a token (demo client, demo secret) and call the API:

  TOKEN=$(curl -s -u demo-client:demo-secret -d grant_type=client_credentials -d "scope=profile posts:read" \\
    ${ISSUER}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -H "Authorization: Bearer $TOKEN" ${ISSUER}/api/me
  curl -H "Authorization: Bearer $TOKEN" ${ISSUER}/api/posts

Metadata: ${ISSUER}/.well-known/oauth-authorization-server   JWKS: ${ISSUER}/oauth/jwks
API docs (Swagger UI): ${ISSUER}/${DOCS_PATH}   OpenAPI document: ${ISSUER}/${DOCS_PATH}-json
`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
