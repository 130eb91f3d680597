import { AuthLogger } from './auth-logger.js';

/** Largest response body read from an issuer (metadata, JWKS, introspection, tokens); a larger one is a failure. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * The issuer could not answer usably (unreachable, slow, non-200, not a JSON object, misconfigured). The guard
 * turns it into 503 `temporarily_unavailable`; `reason` is for the log only and never names a token or secret.
 */
export class UpstreamError extends Error {
  /** `status`: the HTTP status of an answer that was not accepted, when there was one. */
  constructor(
    readonly reason: string,
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'UpstreamError';
  }
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) throw new UpstreamError(`answered with a body over ${MAX_BODY_BYTES} bytes`);
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new UpstreamError(`answered with a body over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

/**
 * One request to a URL of the configured issuer, expecting `200` and a JSON object. Redirects are not followed,
 * the whole exchange (body included) is bounded by `timeoutMs`, bodies by a size cap. Every failure is an
 * `UpstreamError`.
 */
export async function fetchJsonObject(url: string, request: OutboundRequest, timeoutMs: number): Promise<Record<string, unknown>> {
  return (await exchangeJson(url, request, timeoutMs, (status) => status === 200)).json;
}

/**
 * Like `fetchJsonObject`, for endpoints that answer errors as JSON too (a token endpoint's 400 and 401, RFC 6749
 * section 5.2): any status `accept` allows resolves with its JSON object; others are an `UpstreamError`.
 */
export async function exchangeJson(
  url: string,
  request: OutboundRequest,
  timeoutMs: number,
  accept: (status: number) => boolean,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: request.method ?? 'GET',
      headers: { accept: 'application/json', ...request.headers },
      body: request.body,
      redirect: 'manual',
      signal,
    });
    if (!accept(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      throw new UpstreamError(`answered HTTP ${response.status}`, response.status);
    }
    const json: unknown = JSON.parse(await readCapped(response));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UpstreamError('answered with JSON that is not an object');
    return { status: response.status, json: json as Record<string, unknown> };
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (signal.aborted) throw new UpstreamError(`did not answer within ${timeoutMs} ms`);
    if (error instanceof SyntaxError || (error instanceof TypeError && /encoded data/i.test(error.message))) {
      throw new UpstreamError('answered with a body that is not JSON');
    }
    throw new UpstreamError('could not be reached');
  }
}

/**
 * Logs an outbound dependency's failures once per outage (the first failure, then the recovery), so an issuer
 * that is down does not turn every request into a log line.
 */
export class OutboundHealth {
  private readonly logger = new AuthLogger();
  private failing = false;

  constructor(private readonly what: string) {}

  failed(error: UpstreamError): void {
    if (!this.failing) this.logger.warn(`${this.what} failed: ${error.reason}; bearer tokens that need it get 503 until it recovers`);
    this.failing = true;
  }

  succeeded(): void {
    if (this.failing) this.logger.log(`${this.what} recovered`);
    this.failing = false;
  }
}
