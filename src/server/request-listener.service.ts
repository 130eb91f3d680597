import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RequestIds } from '../request-id/request-ids.service.js';
import { FastPath } from './fast-path/fast-path.service.js';

/** Node's request listener (HTTP/1 and the HTTP/2 compatibility API alike). */
type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/** The part of Node's HTTP server this needs. */
interface ListeningServer {
  listeners(event: 'request'): Function[];
  removeAllListeners(event: 'request'): unknown;
  on(event: 'request', listener: Listener): unknown;
}

/**
 * The one place that wraps the HTTP server's request listener (Express's or Fastify's), at bootstrap, so what it adds
 * holds for every request of the app, whatever answers it: first the request id (`requestIds`: the whole request,
 * the fast path, middleware, guards, controllers and filters of authnest and of the host, runs inside its context),
 * then the fast path (`fastPath`), then the platform. Nothing is wrapped when both are off.
 */
@Injectable()
export class RequestListener implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly requestIds: RequestIds,
    private readonly fastPath: FastPath,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.requestIds.enabled && !this.fastPath.enabled) return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as ListeningServer | undefined;
    if (!server) return;
    const app = server.listeners('request') as Listener[];
    server.removeAllListeners('request');
    const toApp: Listener = (request, response) => {
      for (const listener of app) listener.call(server, request, response);
    };
    const fastPath = this.fastPath;
    const inner: Listener = fastPath.enabled ? (request, response) => fastPath.take(request, response) || toApp(request, response) : toApp;
    const requestIds = this.requestIds;
    server.on('request', requestIds.enabled ? (request, response) => requestIds.serve(request, response, inner) : inner);
  }
}
