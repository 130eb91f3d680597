import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { BenchAppModule } from './bench-app.module.js';
import { benchSettings } from './bench-settings.js';
import { profileUntilSignal } from './cpu-profile.js';

/** The benchmark's authnest server: `READY authnest <port>` on stdout once it listens (the runner waits for it). */
async function main(): Promise<void> {
  const settings = benchSettings();
  const module = BenchAppModule.register(settings);
  const logger = ['error', 'warn'] as const;
  let app: INestApplication;
  if (settings.platform === 'fastify') {
    app = await NestFactory.create(module, new FastifyAdapter(), { logger: [...logger] });
  } else {
    const express = await NestFactory.create<NestExpressApplication>(module, { logger: [...logger] });
    express.disable('x-powered-by');
    app = express;
  }
  app.enableShutdownHooks();
  await app.listen(settings.port, '127.0.0.1');
  new Logger('bench').log(`authnest ${settings.platform} ${settings.signingAlgorithm}`);
  await profileUntilSignal(process.env.BENCH_CPU_PROFILE);
  console.log(`READY authnest ${settings.port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
