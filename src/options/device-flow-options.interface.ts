import type { RateLimitWindow } from './flow-options.interface.js';

/** Limits on the verification page's code entry, counted in the database (shared by every instance). */
export interface UserCodeRateLimitOptions {
  /**
   * Code entries per client address (the platform's `request.ip`), right or wrong.
   * @default { max: 30, window: 900 }
   */
  perAddress?: RateLimitWindow;
  /**
   * Code entries per browser (the verification page's signed cookie), right or wrong.
   * @default { max: 10, window: 900 }
   */
  perBrowser?: RateLimitWindow;
}

/**
 * The device authorization grant (RFC 8628): for clients whose `grantTypes` include
 * `urn:ietf:params:oauth:grant-type:device_code`.
 */
export interface DeviceFlowOptions {
  /**
   * Seconds a device code and its user code stay valid (`expires_in`).
   * @default 600
   */
  codeTtl?: number;
  /**
   * Seconds a device must wait between polls of the token endpoint (`interval`); polling faster answers `slow_down`
   * and adds 5 seconds for that device.
   * @default 5
   */
  interval?: number;
  /**
   * Characters of a user code, from the 20 consonants `BCDFGHJKLMNPQRSTVWXZ` (RFC 8628 section 6.1), shown in groups
   * of four (`WDJB-MJHT`). 8 characters are 34.5 bits.
   * @default 8
   */
  userCodeLength?: number;
  /**
   * The `verification_uri` shown to the user: a short URL of your own that redirects (keeping the query) to
   * `<issuer>/oauth/device`. https, or http on a loopback host.
   * @default `<issuer>/oauth/device`
   */
  verificationUri?: string;
  /**
   * User-code entries allowed on the verification page per client address and per browser, right or wrong.
   * @default { perAddress: { max: 30, window: 900 }, perBrowser: { max: 10, window: 900 } }
   */
  userCodeRateLimit?: UserCodeRateLimitOptions;
}
