import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Hop-by-hop headers (RFC 9110 section 7.6.1): a proxy does not forward them; every other header passes unchanged. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** The response header naming the upstream (its index) that answered, for the tests' assertions. */
export const UPSTREAM_HEADER = 'x-cluster-upstream';

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** One upstream of the proxy: an app instance's base URL, and whether the proxy still sends it requests. */
interface Upstream {
  url: URL;
  alive: boolean;
}

/**
 * A tiny round-robin HTTP reverse proxy on 127.0.0.1 (port 0), standing in for a load balancer: each request goes to
 * the next live upstream, with its method, path, headers, cookies and body unchanged (keep-alive connections
 * upstream); the response comes back unchanged too, plus `x-cluster-upstream`. An upstream that fails a connection
 * (refused, reset, closed before answering) is marked dead and skipped from then on; the request that saw the failure
 * gets 502, like a real balancer's in-flight requests to a crashed backend. `set(i, url)` replaces (or revives) one.
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly upstreams: Upstream[];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /** Index of the upstream of every request, in arrival order. */
  readonly routed: number[] = [];
  /** Requests answered 502 because their upstream failed. */
  badGateways = 0;
  /** Requests each upstream has not answered yet, by index. */
  readonly inFlight: number[] = [];

  private constructor(
    private readonly server: Server,
    upstreams: string[],
  ) {
    this.upstreams = upstreams.map((url) => ({ url: new URL(url), alive: true }));
  }

  /** Starts the proxy in front of `upstreams` (they may be set later with `set`). */
  static async start(upstreams: string[] = []): Promise<RoundRobinProxy> {
    let proxy: RoundRobinProxy | undefined;
    const server = createServer((req, res) => proxy!.forward(req, res));
    server.keepAliveTimeout = 5_000;
    proxy = new RoundRobinProxy(server, upstreams);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:<port>`: the issuer of every instance behind it. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Points slot `index` at `url` (a new slot, a replacement, or a restarted instance) and marks it live. */
  set(index: number, url: string): void {
    this.upstreams[index] = { url: new URL(url), alive: true };
  }

  /** Whether slot `index` still gets requests. */
  isAlive(index: number): boolean {
    return this.upstreams[index]?.alive === true;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(): number | undefined {
    for (let tried = 0; tried < this.upstreams.length; tried += 1) {
      const index = this.next % this.upstreams.length;
      this.next += 1;
      if (this.upstreams[index]?.alive) return index;
    }
    return undefined;
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = this.pick();
      if (index === undefined) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('no live upstream');
        return;
      }
      this.routed.push(index);
      this.inFlight[index] = (this.inFlight[index] ?? 0) + 1;
      res.once('close', () => (this.inFlight[index] = (this.inFlight[index] ?? 1) - 1));
      this.send(index, req, Buffer.concat(chunks), res, false);
    });
  }

  /**
   * Sends the request to one upstream. A keep-alive connection the upstream had closed while idle fails before the
   * request reached it: sent again once, on a new connection (to the same upstream: a dead one then refuses it).
   */
  private send(index: number, req: IncomingMessage, body: Buffer, res: ServerResponse, retried: boolean): void {
    const upstream = this.upstreams[index]!;
    const outgoing = httpRequest(
      { host: upstream.url.hostname, port: upstream.url.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent: this.agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), [UPSTREAM_HEADER]: String(index) });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && outgoing.reusedSocket && error.code === 'ECONNRESET' && !res.headersSent) {
        this.send(index, req, body, res, true);
        return;
      }
      // The connection failed before or while the upstream answered: it is gone (a balancer's passive health check).
      if (this.upstreams[index] === upstream) upstream.alive = false;
      this.badGateways += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', [UPSTREAM_HEADER]: String(index) }).end('bad gateway');
      else res.destroy();
    });
    outgoing.end(body);
  }
}
