import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS } from '../../auth.tokens.js';
import { DPOP_NONCE_HEADER } from '../../errors/dpop-errors.js';
import { InvalidRequestError, ServerError } from '../../errors/oauth-errors.js';
import { protocolErrorHeaders, protocolErrorOf } from '../../errors/protocol-error.js';
import { AuthLogger } from '../../internal/auth-logger.js';
import type { ResolvedAuthOptions } from '../../options/resolved-options.js';
import { ENDPOINT_PATHS } from '../endpoint-paths.js';
import { TokenEndpoint } from '../rfc6749/token-endpoint.service.js';
import type { ProtocolRequest } from '../rfc6749/token-request.js';
import { RevocationEndpoint } from '../rfc7009/revocation-endpoint.service.js';
import { IntrospectionEndpoint } from '../rfc7662/introspection-endpoint.service.js';
import { DpopTokenRequests } from '../rfc9449/dpop-token-requests.service.js';
import { isPlainForm, readForm } from './form-body.js';

/** A request as the endpoints read it: Node's own, with the parsed form as `body`. */
type FastRequest = IncomingMessage & ProtocolRequest;

/** One endpoint served on the fast path: what it answers, and whether it hands out DPoP nonces. */
interface FastRoute {
  path: string;
  answer(request: FastRequest): Promise<unknown>;
  dpopNonce: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * `fastPath: true`: back-channel requests to the token, introspection and revocation endpoints are answered by the
 * HTTP server's request listener itself, before Express or Fastify route them. Same services, same answers, same
 * errors as the controllers; what is skipped is the platform (its routing and body parsing) and everything the app
 * hung on it: middleware, global guards, interceptors, pipes and filters. Only `POST`s of a plain UTF-8 form without
 * an `Origin` header take it: browsers (which send `Origin`, and need the app's CORS), other methods and other bodies
 * go through the app as before. `RequestListener` puts it in front of the app (inside the request's id, when on).
 */
@Injectable()
export class FastPath {
  private readonly logger = new AuthLogger();
  private readonly routes: ReadonlyMap<string, FastRoute>;

  constructor(
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    private readonly dpop: DpopTokenRequests,
    token: TokenEndpoint,
    introspection: IntrospectionEndpoint,
    revocation: RevocationEndpoint,
  ) {
    const routes: FastRoute[] = [
      { path: ENDPOINT_PATHS.token, answer: (request) => token.handle(request), dpopNonce: true },
      { path: ENDPOINT_PATHS.introspection, answer: (request) => introspection.handle(request), dpopNonce: false },
      { path: ENDPOINT_PATHS.revocation, answer: async (request) => (await revocation.handle(request), {}), dpopNonce: false },
    ];
    this.routes = new Map(routes.map((route) => [route.path, route]));
  }

  /** Whether the fast path answers requests (`fastPath`). */
  get enabled(): boolean {
    return this.options.fastPath;
  }

  /** Starts answering a request the fast path serves; false leaves it to the app. */
  take(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'POST' || request.headers.origin !== undefined) return false;
    const url = request.url ?? '';
    const queryAt = url.indexOf('?');
    const route = this.routes.get(queryAt === -1 ? url : url.slice(0, queryAt));
    if (!route || !isPlainForm(request.headers)) return false;
    // `serve` answers every failure itself; should writing that answer fail, the connection goes, not the process.
    this.serve(request as FastRequest, response, route).catch(() => response.destroy());
    return true;
  }

  private async serve(request: FastRequest, response: ServerResponse, route: FastRoute): Promise<void> {
    const headers: Record<string, string> = {};
    if (route.dpopNonce) {
      const nonce = this.dpop.freshNonce();
      if (nonce !== undefined) headers[DPOP_NONCE_HEADER] = nonce;
    }
    const body = await readForm(request);
    if (body.kind === 'broken') return;
    try {
      if (body.kind === 'too-large') throw new InvalidRequestError('The request could not be parsed', { status: 413 });
      request.body = body.fields;
      const answer = await route.answer(request);
      send(response, 200, answer, { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers });
    } catch (exception) {
      const error = protocolErrorOf(exception, route.path, this.logger) ?? new ServerError();
      send(response, error.status, error.toJSON(), { ...protocolErrorHeaders(error), ...headers });
    }
  }
}

/** Writes a JSON answer in one piece (headers and body in one write). */
function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (response.headersSent || response.destroyed) return;
  const json = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(json)), ...headers });
  response.end(json);
}
