/**
 * TEST-ONLY STAND-IN for the authorization server's RFC 7662 endpoint (`POST /oauth/introspect`), which does
 * not exist yet. A real HTTP server on 127.0.0.1 that authenticates one client (Basic or post) and answers
 * RFC 7662 section 2.2 for the tokens a test registered with it. When authnest's own endpoint lands, the
 * introspection suites should point `introspection.endpoint` (or discovery) at the authorization server app
 * instead, and register tokens by issuing them there. Everything it received is kept in `requests`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../../src/index.js';
import type { ProxyMode } from './counting-proxy.js';

/** What the endpoint received, for assertions on client authentication and parameters. */
export interface ReceivedIntrospection {
  method: string;
  contentType?: string;
  authorization?: string;
  form: Record<string, string>;
}

export interface IntrospectionClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Decodes `application/x-www-form-urlencoded` halves of a Basic credential (RFC 6749 section 2.3.1). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

export class IntrospectionServer {
  /** `answer` is RFC 7662; the other modes break like the counting proxy's. */
  mode: Exclude<ProxyMode, 'forward'> | 'answer' = 'answer';
  /** When false, an expired token is still reported active (a broken server: the resource server must refuse it itself). */
  honourExpiry = true;
  readonly requests: ReceivedIntrospection[] = [];
  private readonly answers = new Map<string, Record<string, unknown>>();
  private readonly revoked = new Set<string>();
  private readonly server: Server;
  private port = 0;

  private constructor(
    private readonly clock: Clock,
    private readonly client: IntrospectionClientCredentials,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(clock: Clock, client: IntrospectionClientCredentials): Promise<IntrospectionServer> {
    const server = new IntrospectionServer(clock, client);
    await server.listen(0);
    return server;
  }

  /** The endpoint URL. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/introspect`;
  }

  /** Introspection requests received so far. */
  get count(): number {
    return this.requests.length;
  }

  /** Makes up a token the server knows, active with `claims` (the claims of an active answer besides `active`). */
  register(claims: Record<string, unknown>, token = randomBytes(32).toString('base64url')): string {
    this.answers.set(token, claims);
    return token;
  }

  /** From now on the token is inactive. */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

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
    let body = '';
    req.setEncoding('utf8');
    for await (const chunk of req) body += chunk as string;
    const form = Object.fromEntries(new URLSearchParams(body));
    this.requests.push({ method: req.method ?? '', contentType: req.headers['content-type'], authorization: req.headers.authorization, form });
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
    switch (this.mode) {
      case 'error':
        return void json(500, { error: 'server_error' });
      case 'html':
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Maintenance</html>');
      case 'reset':
        return void req.socket.destroy();
      case 'hang':
        return;
      case 'answer':
        break;
    }
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return void json(400, { error: 'invalid_request' });
    }
    if (!this.authenticated(req.headers.authorization, form)) {
      return void res.writeHead(401, { 'www-authenticate': 'Basic', 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    }
    const claims = form.token === undefined ? undefined : this.answers.get(form.token);
    const expired = typeof claims?.exp === 'number' && claims.exp * 1000 <= this.clock.now() && this.honourExpiry;
    if (!claims || expired || this.revoked.has(form.token)) return void json(200, { active: false });
    json(200, { active: true, ...claims });
  }

  /** Exactly one client authentication method, with this server's one client. */
  private authenticated(authorization: string | undefined, form: Record<string, string>): boolean {
    const inBody = form.client_id !== undefined || form.client_secret !== undefined;
    if (authorization !== undefined) {
      if (inBody || !authorization.startsWith('Basic ')) return false;
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      return formDecode(decoded.slice(0, colon)) === this.client.clientId && formDecode(decoded.slice(colon + 1)) === this.client.clientSecret;
    }
    return form.client_id === this.client.clientId && form.client_secret === this.client.clientSecret;
  }
}
