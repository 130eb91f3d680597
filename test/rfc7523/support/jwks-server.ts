import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What one path of the JWKS server answers: a JSON document (`json`, any status and content type), or a broken
 * server: `hang` (headers never sent), `drip` (200, then one byte a second), `stream` (`bytes` of JSON-looking
 * padding as fast as the client takes it; Infinity never ends), `html`, `redirect`, `reset` (connection dropped).
 * `delayMs` holds any answer back.
 */
export type JwksBehaviour =
  | { kind: 'json'; body: unknown; status?: number; contentType?: string; delayMs?: number }
  | { kind: 'raw'; body: Buffer | string; contentType?: string }
  | { kind: 'hang' }
  | { kind: 'drip' }
  | { kind: 'stream'; bytes: number }
  | { kind: 'html' }
  | { kind: 'redirect'; status?: 301 | 302 | 303 | 307 | 308; location: string }
  | { kind: 'reset' };

/** What the server saw of one request. */
export interface JwksHit {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client's `jwks_uri` host on 127.0.0.1 (http): each path answers as set, and every request is recorded. For
 * broken answers it also records how many bytes went out and whether the client hung up first (the fetch's bounds).
 */
export class JwksServer {
  readonly hits: JwksHit[] = [];
  /** Bytes of body written per path (stream and drip). */
  readonly sent = new Map<string, number>();
  /** Paths whose client closed the connection before the answer was complete. */
  readonly abandoned = new Map<string, number>();
  private readonly behaviours = new Map<string, JwksBehaviour>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<JwksServer> {
    const jwks = new JwksServer(createServer((req, res) => void jwks.handle(req.url ?? '/', req.method ?? '', req.headers, req, res)));
    await new Promise<void>((resolve) => jwks.server.listen(0, '127.0.0.1', resolve));
    return jwks;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  set(path: string, behaviour: JwksBehaviour): void {
    this.behaviours.set(path, behaviour);
  }

  count(path: string): number {
    return this.hits.filter((hit) => hit.path === path).length;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(url: string, method: string, headers: IncomingHttpHeaders, req: NodeJS.ReadableStream, res: ServerResponse): Promise<void> {
    const path = url.split('?')[0]!;
    let body = '';
    for await (const chunk of req) body += String(chunk);
    this.hits.push({ path, method, headers, body });
    const behaviour = this.behaviours.get(path) ?? { kind: 'json', status: 404, body: { error: 'not found' } };
    res.on('close', () => {
      if (!res.writableFinished) this.abandoned.set(path, (this.abandoned.get(path) ?? 0) + 1);
    });
    switch (behaviour.kind) {
      case 'json':
        if (behaviour.delayMs) await sleep(behaviour.delayMs);
        res.writeHead(behaviour.status ?? 200, { 'content-type': behaviour.contentType ?? 'application/json' }).end(JSON.stringify(behaviour.body));
        return;
      case 'raw':
        res.writeHead(200, { 'content-type': behaviour.contentType ?? 'application/json' }).end(behaviour.body);
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>{"keys":[]} sign in</body></html>');
        return;
      case 'redirect':
        res.writeHead(behaviour.status ?? 302, { location: behaviour.location }).end();
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'hang':
        return;
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        const timer = setInterval(() => {
          if (res.destroyed) return void clearInterval(timer);
          res.write(' ');
          this.sent.set(path, (this.sent.get(path) ?? 0) + 1);
        }, 1000);
        this.timers.add(timer);
        return;
      }
      case 'stream':
        return this.stream(path, behaviour.bytes, res);
    }
  }

  /** Writes `{"keys":[` and then spaces, 64 KiB at a time, while the client reads, up to `bytes` in all. */
  private async stream(path: string, bytes: number, res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    res.write('{"keys":[');
    while (written < bytes && !res.destroyed) {
      written += chunk.length;
      this.sent.set(path, written);
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => (res.off('drain', done), res.off('close', done), resolve());
          res.on('drain', done).on('close', done);
        });
      }
    }
    if (!res.destroyed) res.end(']}');
  }
}

/**
 * A TCP listener on every local address (`::`, dual stack: 127.0.0.1, ::1, 0.0.0.0 alike) that counts connections
 * and drops them: the SSRF canary. An http or https fetch that reaches it is counted whatever it speaks.
 */
export class Canary {
  connections = 0;
  readonly remotes: string[] = [];
  private constructor(private readonly server: TcpServer) {}

  static async start(): Promise<Canary> {
    const canary = new Canary(
      createTcpServer((socket: Socket) => {
        canary.connections += 1;
        canary.remotes.push(socket.remoteAddress ?? '?');
        socket.destroy();
      }),
    );
    await new Promise<void>((resolve) => canary.server.listen(0, '::', resolve));
    return canary;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
