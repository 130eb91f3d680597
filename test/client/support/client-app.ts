import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Clock } from '../../../src/index.js';
import type { Platform } from '../../support/matrix.js';

/** A host app that is only an OAuth client (no AuthModule): `OAuthClientModule` and the given providers. */
export async function bootClientApp(
  platform: Platform,
  clientModule: DynamicModule,
  spec: { providers?: Type[]; clock?: Clock } = {},
): Promise<INestApplication> {
  @Module({ imports: [clientModule], providers: spec.providers ?? [] })
  class ClientRootModule {}
  let builder = Test.createTestingModule({ imports: [ClientRootModule] });
  if (spec.clock) builder = builder.overrideProvider(Clock).useValue(spec.clock);
  const moduleRef = await builder.compile();
  const app = platform === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: false }) : moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}
