import { isSafeServerUrl } from '../internal/url-rules.js';
import { ENDPOINT_PATHS, endpointUrl } from '../server/endpoint-paths.js';
import type { AuthModuleOptions } from './auth-options.interface.js';
import type { RateLimitWindow } from './flow-options.interface.js';

/** `deviceFlow` with defaults applied. */
export interface ResolvedDeviceFlowOptions {
  codeTtl: number;
  interval: number;
  userCodeLength: number;
  verificationUri: string;
  userCodeRateLimit: { perAddress: RateLimitWindow; perBrowser: RateLimitWindow };
}

/** Defaults of `deviceFlow` (shapes are validated with the rest by `resolveAuthOptions`); `issuer` without trailing slash. */
export function resolveDeviceFlowOptions(raw: AuthModuleOptions, issuer: string, problems: string[]): ResolvedDeviceFlowOptions {
  const device = raw.deviceFlow ?? {};
  const verificationUri = device.verificationUri ?? endpointUrl(issuer, ENDPOINT_PATHS.device);
  if (device.verificationUri !== undefined && !isSafeServerUrl(device.verificationUri)) {
    problems.push('deviceFlow.verificationUri: must be an https URL (http only on a loopback host) without query or fragment');
  }
  return {
    codeTtl: device.codeTtl ?? 600,
    interval: device.interval ?? 5,
    userCodeLength: device.userCodeLength ?? 8,
    verificationUri,
    userCodeRateLimit: {
      perAddress: device.userCodeRateLimit?.perAddress ?? { max: 30, window: 900 },
      perBrowser: device.userCodeRateLimit?.perBrowser ?? { max: 10, window: 900 },
    },
  };
}
