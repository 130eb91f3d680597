import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { AuthHealthCheckOptions } from './auth-health-report.js';
import { AuthHealth } from './auth-health.service.js';

/**
 * authnest's health for `@nestjs/terminus` (12 or later): `AuthHealth.check()` as one indicator, `up` or `down` with
 * the database, keys and Redis details, so `HealthCheckService.check()` answers 503 when authnest cannot serve.
 *
 * Provide it in a module that imports `TerminusModule` and sees authnest's providers (the module importing
 * `AuthModule.forRoot()`, or any module with `isGlobal: true`):
 * ```ts
 * @Controller('health')
 * class HealthController {
 *   constructor(private readonly health: HealthCheckService, private readonly authnest: AuthHealthIndicator) {}
 *   @Get() @HealthCheck()
 *   check() {
 *     return this.health.check([() => this.authnest.isHealthy()]);
 *   }
 * }
 * ```
 */
@Injectable()
export class AuthHealthIndicator {
  constructor(
    private readonly health: AuthHealth,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** `{ [key]: { status: 'up' | 'down', database, keys, redis } }`, for `HealthCheckService.check([...])`. */
  async isHealthy<const Key extends string = 'authnest'>(key: Key = 'authnest' as Key, options?: AuthHealthCheckOptions): Promise<HealthIndicatorResult<Key>> {
    const { status, ...details } = await this.health.check(options);
    const session = this.indicators.check(key);
    return status === 'up' ? session.up(details) : session.down(details);
  }
}
