import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PORT } from '../sample.config.js';
import { ClusterAppModule } from './cluster-app.module.js';

const LOGGER: LogLevel[] = ['error', 'warn'];

/**
 * One instance of the sample's server for a cluster (`node dist/sample/cluster/main.js`, same environment as the
 * sample: PORT, ISSUER = the load balancer's URL, DATABASE_URL, AUTHNEST_ENCRYPTION_SECRET, SAMPLE_PLATFORM, REDIS_URL).
 * Prints `READY <port>` once it listens.
 */
async function main(): Promise<void> {
  mkdirSync('data', { recursive: true });
  let app: INestApplication;
  if (process.env.SAMPLE_PLATFORM === 'fastify') {
    app = await NestFactory.create(ClusterAppModule, new FastifyAdapter(), { logger: LOGGER });
  } else {
    const express = await NestFactory.create<NestExpressApplication>(ClusterAppModule, { logger: LOGGER });
    express.disable('x-powered-by');
    app = express;
  }
  app.enableShutdownHooks();
  await app.listen(PORT, process.env.HOST ?? '127.0.0.1');
  console.log(`READY ${PORT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
