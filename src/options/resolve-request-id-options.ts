import type { AuthModuleOptions } from './auth-options.interface.js';

/** `requestIds` with defaults applied; `header` lower-cased (as Node reads request headers). */
export interface ResolvedRequestIdOptions {
  enabled: boolean;
  header: string;
  trustIncoming: boolean;
}

export const DEFAULT_REQUEST_ID_HEADER = 'x-request-id';

/** Defaults of `requestIds` (shapes are validated with the rest by `resolveAuthOptions`). */
export function resolveRequestIdOptions(raw: AuthModuleOptions): ResolvedRequestIdOptions {
  const options = raw.requestIds;
  return {
    enabled: options?.enabled ?? false,
    header: (options?.header ?? DEFAULT_REQUEST_ID_HEADER).toLowerCase(),
    trustIncoming: options?.trustIncoming ?? true,
  };
}
