/** What one round of load is: sent by the runner to a load worker process as JSON. */

/** How each response of a plain HTTP scenario is checked, besides being 2xx. */
export type ResponseCheck = 'token-opaque' | 'token-jwt' | 'introspection-active' | 'hello';

export interface HttpLoad {
  kind: 'http';
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /**
   * Bodies to send in turn instead of `body`: each connection starts at a random one and goes round the list (many
   * tokens introspected at once, not one token by every connection).
   */
  bodies?: string[];
  check: ResponseCheck;
}

/** Complete authorization code + PKCE flows (browser, login, token), or refresh-token rotation chains, against `base`. */
export interface FlowLoad {
  kind: 'code-flow' | 'refresh';
  base: string;
}

export type LoadTarget = HttpLoad | FlowLoad;

export interface LoadSpec {
  target: LoadTarget;
  connections: number;
  seconds: number;
}

/** The line a load worker prints last: `RESULT <json Measurement>`. */
export const RESULT_PREFIX = 'RESULT ';
