import type { AuthEventName } from '../events/auth-event-map.js';
import type { AuthModuleOptions } from './auth-options.interface.js';

/** `audit` with defaults applied. */
export interface ResolvedAuditOptions {
  store: boolean;
  /** Seconds; 0: kept forever. */
  retention: number;
  /** The event names stored; undefined: every event. */
  events?: ReadonlySet<AuthEventName>;
}

/** 90 days. */
export const DEFAULT_AUDIT_RETENTION = 7_776_000;

/** Defaults of `audit` (shapes are validated with the rest by `resolveAuthOptions`). */
export function resolveAuditOptions(raw: AuthModuleOptions): ResolvedAuditOptions {
  const audit = raw.audit;
  return {
    store: audit?.store ?? false,
    retention: audit?.retention ?? DEFAULT_AUDIT_RETENTION,
    ...(audit?.events ? { events: new Set(audit.events) } : {}),
  };
}
