import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { expect } from 'vitest';
import { AuthHealthIndicator } from '../../src/health/index.js';
import { currentRequestId, RequireScope, SigningKeyEntity, type AuthModuleOptions } from '../../src/index.js';
import { authnestDataSource } from '../support/app-helpers.js';
import { request, type TestResponse } from '../support/http.js';
import type { Database, Platform } from '../support/matrix.js';
import { bootTestApp, type TestApp, type TestAppSpec } from '../support/test-app.js';

/** The host's readiness endpoint, as a user writes it with terminus and authnest's indicator. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly authnest: AuthHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.authnest.isHealthy()]);
  }
}

/** Host routes that report the request id they see, after async hops (timers, awaits, a body parser, a guard). */
@Controller('context')
export class ContextController {
  @Get()
  async plain(@Query('delay') delay?: string): Promise<{ before: string | undefined; requestId: string | undefined }> {
    const before = currentRequestId();
    await sleep(Number(delay ?? 0));
    await new Promise((resolve) => setImmediate(resolve));
    return { before, requestId: currentRequestId() };
  }

  @Post()
  async withBody(@Body() body: { value?: string }): Promise<{ requestId: string | undefined; value: string | undefined }> {
    await sleep(1);
    return { requestId: currentRequestId(), value: body.value };
  }

  @Get('guarded')
  @RequireScope()
  async guarded(): Promise<{ requestId: string | undefined }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { requestId: currentRequestId() };
  }
}

export const CLIENT = { clientId: 'health-svc', clientSecret: 'health-svc-secret-0123', scopes: ['read'], grantTypes: ['client_credentials'], allowIntrospection: true };

/** An app with the health and context routes, TerminusModule and the indicator, and one confidential client. */
export function bootHealthApp(platform: Platform, db: Database, options: Partial<AuthModuleOptions> = {}, spec: Partial<TestAppSpec> = {}): Promise<TestApp> {
  return bootTestApp({
    platform,
    db,
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController, ContextController],
    ...spec,
    providers: [AuthHealthIndicator, ...(spec.providers ?? [])],
    // Request ids are off by default (their async context costs every promise on Node 20): these suites turn them on.
    options: { scopes: ['read'], clients: [CLIENT], ...options, requestIds: { enabled: true, ...options.requestIds } },
  });
}

/** GETs /health. */
export function health(t: TestApp): Promise<TestResponse> {
  return request(`${t.url}/health`);
}

/** authnest's part of a terminus answer (under `details.authnest`). */
export function authnestDetails(res: TestResponse): Record<string, Record<string, unknown>> {
  const details = res.body.details as Record<string, Record<string, Record<string, unknown>>> | undefined;
  expect(details?.authnest, res.text).toBeDefined();
  return details!.authnest!;
}

/** Marks every stored signing key revoked behind the app's back (as another instance or an operator would). */
export async function revokeEveryKeyInDatabase(t: TestApp): Promise<void> {
  await authnestDataSource(t.app)
    .createQueryBuilder()
    .update(SigningKeyEntity)
    .set({ status: 'revoked', revokedAt: Date.now() })
    .where('1 = 1')
    .execute();
}

/** Polls `probe` until it holds (or `timeoutMs` passes, then asserts it once more). */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(50);
  }
  expect(await probe()).toBe(true);
}
