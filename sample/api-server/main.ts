import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ISSUER } from '../sample.config.js';
import { ApiModule } from './api.module.js';

const API_PORT = Number(process.env.API_PORT ?? 3001);

/** `npm run sample:api`: the separate API on API_PORT (default 3001), trusting ISSUER (default http://localhost:3000). */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule);
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  await app.listen(API_PORT, process.env.HOST ?? '127.0.0.1');
  const url = `http://localhost:${API_PORT}`;
  new Logger('sample:api').log(`API listening on ${url}, trusting ${ISSUER}`);
  console.log(`
Call it with an opaque token of demo-client (checked by introspection):

  TOKEN=$(curl -s -u demo-client:demo-secret -d grant_type=client_credentials -d scope=api \\
    ${ISSUER}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -H "Authorization: Bearer $TOKEN" ${url}/api/posts
  curl -H "Authorization: Bearer $TOKEN" ${url}/api/posts/restricted     # 403: needs scope restricted
`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
