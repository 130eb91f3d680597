import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SAMPLE_CLIENT_URL } from '../sample.config.js';
import { AUTH_ISSUER, ClientAppModule } from './client-app.module.js';

/** `npm run sample:client`: the sample client on CLIENT_PORT (default 8080), against `npm run sample` on port 3000. */
async function main(): Promise<void> {
  mkdirSync('data', { recursive: true });
  const app = await NestFactory.create(ClientAppModule);
  app.enableShutdownHooks();
  await app.listen(Number(process.env.CLIENT_PORT ?? 8080), process.env.HOST ?? '127.0.0.1');
  new Logger('sample:client').log(`sample client on ${SAMPLE_CLIENT_URL}, signing in at ${AUTH_ISSUER}: open ${SAMPLE_CLIENT_URL}/ and sign in as alice`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
