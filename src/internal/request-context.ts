import { AsyncLocalStorage } from 'node:async_hooks';

/** What authnest knows about the request being served, for logs and events. */
export interface RequestContext {
  /** The request id: the caller's `X-Request-Id` when it is safe to echo, else a fresh random one. */
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` with `context` as the current request context (the request-id middleware calls this). */
export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The id of the request being served, or undefined outside a request (boot, timers, the CLI). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
