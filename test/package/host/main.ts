import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/** The line the package check waits for before it sends requests. */
export const READY_PREFIX = 'authnest-host ready ';

/** Express by default, Fastify with HOST_PLATFORM=fastify. */
function createApp(): Promise<INestApplication> {
  const logger = ['error', 'warn'] as const;
  if (process.env.HOST_PLATFORM === 'fastify') return NestFactory.create(AppModule, new FastifyAdapter(), { logger: [...logger] });
  return NestFactory.create(AppModule, { logger: [...logger] });
}

async function main(): Promise<void> {
  const app = await createApp();
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  // `require` exists only when this file was compiled to CommonJS.
  const moduleSystem = typeof require === 'function' ? 'commonjs' : 'esm';
  console.log(`${READY_PREFIX}${JSON.stringify({ port, moduleSystem, platform: process.env.HOST_PLATFORM ?? 'express' })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
