/**
 * `authnest/health`: the `@nestjs/terminus` indicator (a separate entry, so that the main one never loads terminus,
 * an optional peer dependency). `AuthHealth` itself is in the main entry.
 */
export { AuthHealthIndicator } from './auth-health.indicator.js';
export { AuthHealth } from './auth-health.service.js';
export type * from './auth-health-report.js';
