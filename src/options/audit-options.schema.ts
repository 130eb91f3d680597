import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AUTH_EVENTS } from '../events/auth-event-map.js';

/** Every event name, for `audit.events`. */
const EVENT_NAMES: readonly string[] = Object.values(AUTH_EVENTS);

/** The longest `audit.retention`: ten years. */
export const MAX_AUDIT_RETENTION = 315_360_000;

/** class-validator mirror of `AuditOptions`. */
export class AuditOptionsSchema {
  @IsOptional() @IsBoolean() store?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_AUDIT_RETENTION) retention?: number;
  @IsOptional() @IsArray() @ArrayUnique() @IsIn(EVENT_NAMES, { each: true, message: `each event must be one of ${EVENT_NAMES.join(', ')}` }) events?: string[];
}
