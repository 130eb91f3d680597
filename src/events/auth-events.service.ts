import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Clock } from '../internal/clock.js';
import { loadOptionalModule } from '../internal/optional-module.js';
import { currentRequestId } from '../internal/request-context.js';
import type { AuthEventInput, AuthEventMap, AuthEventName } from './auth-event-map.js';
import { AuthLogger } from '../internal/auth-logger.js';

/** A listener as `EventEmitter2` stores it. */
type Listener = (...args: unknown[]) => unknown;

/** The parts of `EventEmitter2` (eventemitter2, as `@nestjs/event-emitter` provides it) authnest uses. */
interface EventEmitterLike {
  emit(event: string, ...values: unknown[]): boolean;
  hasListeners?(event?: string): boolean;
  listeners?(event: string): Listener[];
  listenersAny?(): Listener[];
  /** The name of the event being delivered (what a wildcard listener reads as `this.event`). */
  event?: unknown;
}

type EventEmitterModule = { EventEmitter2: abstract new (...args: never[]) => EventEmitterLike };

/** One of authnest's own receivers of events (the audit table). */
export interface AuthEventSink {
  /** Whether the sink keeps events of this name (asked before a payload is even built). */
  accepts(name: AuthEventName): boolean;
  /** Takes the event; must not throw and must not wait for I/O. */
  write<K extends AuthEventName>(name: K, event: AuthEventMap[K]): void;
}

/**
 * Emits authnest's typed events: to the host's `EventEmitter2` when it imported `EventEmitterModule.forRoot()`
 * (`@nestjs/event-emitter`, an optional peer dependency), and to authnest's own sinks (the audit table).
 * Emitting never throws and never waits: a failing listener (synchronous or a rejected promise) cannot fail a
 * protocol request. Hot paths ask `wants(name)` first, so nothing is built when nobody listens.
 */
@Injectable()
export class AuthEvents {
  private readonly logger = new AuthLogger();
  private emitter: EventEmitterLike | null | undefined;
  private readonly sinks: AuthEventSink[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Adds one of authnest's own sinks (the audit writer adds itself when `audit.store` is on). */
  addSink(sink: AuthEventSink): void {
    this.sinks.push(sink);
  }

  /**
   * Whether an event of this name would reach anyone: a sink that keeps it, or a listener of the host's emitter
   * (by name, by wildcard or `onAny`). Cheap: no emitter at all costs one field read.
   */
  wants(name: AuthEventName): boolean {
    for (const sink of this.sinks) if (sink.accepts(name)) return true;
    const emitter = this.hostEmitter();
    if (!emitter) return false;
    if (typeof emitter.hasListeners !== 'function') return true;
    try {
      return Boolean(emitter.hasListeners(name)) || (emitter.listenersAny?.().length ?? 0) > 0;
    } catch {
      return true;
    }
  }

  /** Emits `name` with `input`, adding `at` and the current request id; does nothing when nobody wants it. */
  emit<K extends AuthEventName>(name: K, input: AuthEventInput<K>): void {
    if (!this.wants(name)) return;
    const requestId = currentRequestId();
    // Frozen: every listener and the audit table see the event as emitted, whatever another listener does with it.
    const event = Object.freeze({ ...input, at: this.clock.now(), ...(requestId === undefined ? {} : { requestId }) }) as AuthEventMap[K];
    for (const sink of this.sinks) {
      if (!sink.accepts(name)) continue;
      try {
        sink.write(name, event);
      } catch (error) {
        this.logger.warn(`the audit sink refused an ${name} event: ${(error as Error).name}`);
      }
    }
    const emitter = this.hostEmitter();
    if (emitter) this.sendToHost(emitter, name, event);
  }

  /**
   * Calls the host's listeners now (those of every event first, then those of this name, as `EventEmitter2.emit`
   * does), each on its own: one that throws or rejects is logged and the others still get the event; none is awaited.
   */
  private sendToHost(emitter: EventEmitterLike, name: AuthEventName, event: object): void {
    const failed = (error: unknown) => this.logger.warn(`an ${name} listener failed: ${error instanceof Error ? error.message : String(error)}`);
    if (typeof emitter.listeners !== 'function') {
      try {
        emitter.emit(name, event);
      } catch (error) {
        failed(error);
      }
      return;
    }
    let any: Listener[];
    let named: Listener[];
    try {
      // Copies: a `once` listener removes itself while called.
      any = [...(emitter.listenersAny?.() ?? [])];
      named = [...emitter.listeners(name)];
    } catch (error) {
      failed(error);
      return;
    }
    for (const listener of any) this.call(emitter, name, () => listener.call(emitter, name, event), failed);
    for (const listener of named) this.call(emitter, name, () => listener.call(emitter, event), failed);
  }

  private call(emitter: EventEmitterLike, name: AuthEventName, invoke: () => unknown, failed: (error: unknown) => void): void {
    try {
      emitter.event = name;
      const result = invoke();
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private hostEmitter(): EventEmitterLike | null {
    if (this.emitter !== undefined) return this.emitter;
    const token = loadOptionalModule<EventEmitterModule>('@nestjs/event-emitter')?.EventEmitter2;
    let found: EventEmitterLike | null;
    try {
      found = token ? this.moduleRef.get(token, { strict: false }) : null;
    } catch {
      found = null; // the host did not import EventEmitterModule
    }
    this.emitter = found;
    return found;
  }
}
