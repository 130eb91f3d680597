import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the proxy answers: `forward` passes every request to the target; the others stand for an authorization
 * server that is broken in one way (`error`: 500 JSON, `html`: 200 with an HTML page, `reset`: the connection is
 * dropped, `hang`: no answer at all). `stop()` closes the port (connection refused).
 */
export type ProxyMode = 'forward' | 'error' | 'html' | 'reset' | 'hang';

/**
 * A real HTTP reverse proxy on 127.0.0.1 in front of an authorization server app. It counts the requests it
 * receives per path (what a resource server fetched) and can break on demand. Started before the authorization
 * server, so its URL can be that server's issuer (the port is known before the server boots).
 */
export class CountingProxy {
  /** Base URL of the app requests are forwarded to (none until set: 502). */
  target?: string;
  mode: ProxyMode = 'forward';
  private readonly counts = new Map<string, number>();
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
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

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    this.counts.set(path, this.count(path) + 1);
    switch (this.mode) {
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
        this.forward(req, res);
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    if (!this.target) {
      res.writeHead(502).end();
      return;
    }
    const target = new URL(this.target);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  }
}
