import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the proxy answers: `forward` passes every request to the target; the others stand for an authorization
 * server that is broken in one way (`error`: 500 JSON, `html`: 200 with an HTML page, `reset`: the connection is
 * dropped, `hang`: no answer at all). `stop()` closes the port (connection refused).
 */
export type ProxyMode = 'forward' | 'error' | 'html' | 'reset' | 'hang';

/** One request the proxy received, and what the target answered to it when it was forwarded. */
export interface ProxiedExchange {
  method: string;
  /** Path without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The request body as received (UTF-8). */
  body: string;
  /** The target's status and body, before any `rewrite`; absent when the proxy answered (or dropped) it itself. */
  upstream?: { status: number; body: string };
}

/** Replaces the target's JSON answer by another value (serialised as JSON, status and other headers kept). */
export type JsonRewrite = (answer: unknown, exchange: ProxiedExchange) => unknown;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real HTTP reverse proxy on 127.0.0.1 in front of an authorization server app. It counts and records the
 * requests it receives per path (what a resource server fetched, with which credentials and parameters) and can
 * break on demand: for every path, or only for `only`. Started before the authorization server, so its URL can be
 * that server's issuer (the port is known before the server boots).
 */
export class CountingProxy {
  /** Base URL of the app requests are forwarded to (none until set: 502). */
  target?: string;
  mode: ProxyMode = 'forward';
  /** When set, `mode`, `delayMs` and `rewrite` apply to requests for this path only; the others are forwarded as they are. */
  only?: string;
  /** Milliseconds to wait before forwarding (an issuer that answers, but late). */
  delayMs = 0;
  /** Tampers with the target's JSON answers (the real server answers, the proxy changes what it said). */
  rewrite?: JsonRewrite;
  /** Every request received, oldest first. */
  readonly exchanges: ProxiedExchange[] = [];
  private readonly counts = new Map<string, number>();
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<CountingProxy> {
    const proxy = new CountingProxy();
    await proxy.listen(0);
    return proxy;
  }

  /** `http://127.0.0.1:<port>`: the issuer of the app behind the proxy. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests received for a path (query ignored), in any mode. */
  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  /** The exchanges for a path, oldest first. */
  exchangesFor(path: string): ProxiedExchange[] {
    return this.exchanges.filter((exchange) => exchange.path === path);
  }

  /** Back to forwarding everything untouched. */
  reset(): void {
    this.mode = 'forward';
    this.only = undefined;
    this.delayMs = 0;
    this.rewrite = undefined;
  }

  /** Closes the port and every open connection: clients get connection refused. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  restart(): Promise<void> {
    return this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    this.counts.set(path, this.count(path) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const exchange: ProxiedExchange = { method: req.method ?? '', path, headers: req.headers, body: body.toString('utf8') };
    this.exchanges.push(exchange);
    const affected = this.only === undefined || this.only === path;
    switch (affected ? this.mode : 'forward') {
      case 'error':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"server_error"}');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Maintenance</body></html>');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'forward':
        break;
    }
    if (affected && this.delayMs > 0) {
      await sleep(this.delayMs);
      if (req.socket.destroyed) return; // the client gave up waiting
    }
    this.forward(req, res, body, exchange, affected ? this.rewrite : undefined);
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer, exchange: ProxiedExchange, rewrite?: JsonRewrite): void {
    if (!this.target) {
      res.writeHead(502).end();
      return;
    }
    const target = new URL(this.target);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const status = answer.statusCode ?? 502;
          let out = Buffer.concat(chunks);
          exchange.upstream = { status, body: out.toString('utf8') };
          if (rewrite && /json/i.test(answer.headers['content-type'] ?? '')) {
            try {
              out = Buffer.from(JSON.stringify(rewrite(JSON.parse(exchange.upstream.body), exchange)), 'utf8');
            } catch {
              // not JSON after all: passed on as it is
            }
          }
          const headers = { ...answer.headers, 'content-length': String(out.length) };
          delete headers['transfer-encoding'];
          res.writeHead(status, headers).end(out);
        });
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    upstream.end(body);
  }
}
