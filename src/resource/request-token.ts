import type { AccessTokenInfo } from '../tokens/access-token-info.js';

/** Where the guard leaves the verified token on the request. */
export const REQUEST_TOKEN = Symbol.for('authnest:access-token');

/** A request the guard has seen. */
export interface RequestWithToken {
  headers: Record<string, string | string[] | undefined>;
  [REQUEST_TOKEN]?: AccessTokenInfo;
}
