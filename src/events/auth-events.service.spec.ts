import type { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { describe, expect, it, vi } from 'vitest';
import { Clock } from '../internal/clock.js';
import { runWithRequestContext } from '../internal/request-context.js';
import { AUTH_EVENTS, type AuthEventName } from './auth-event-map.js';
import { AuthEvents, type AuthEventSink } from './auth-events.service.js';

const INPUT = { clientId: 'svc', method: 'client_secret_basic', endpoint: '/oauth/token', reason: 'bad_secret' };

/** AuthEvents over a ModuleRef that finds `emitter` (or nothing, like a host without EventEmitterModule). */
function eventsWith(emitter?: EventEmitter2): { events: AuthEvents; lookups: () => number } {
  const get = vi.fn(() => {
    if (!emitter) throw new Error('not found');
    return emitter;
  });
  const clock = new (class extends Clock {
    override now(): number {
      return 1_700_000_000_000;
    }
  })();
  return { events: new AuthEvents(clock, { get } as unknown as ModuleRef), lookups: () => get.mock.calls.length };
}

function sink(accepted: readonly AuthEventName[]): AuthEventSink & { written: unknown[] } {
  const written: unknown[] = [];
  return { written, accepts: (name) => accepted.includes(name), write: (name, event) => written.push([name, event]) };
}

describe('AuthEvents', () => {
  it('wants nothing and builds nothing without an emitter or a sink, and looks the emitter up once', () => {
    const { events, lookups } = eventsWith();
    expect(events.wants(AUTH_EVENTS.tokenIssued)).toBe(false);
    events.emit(AUTH_EVENTS.clientAuthenticationFailed, INPUT);
    expect(events.wants(AUTH_EVENTS.loginFailed)).toBe(false);
    expect(lookups()).toBe(1);
  });

  it('gives a sink the events it accepts, frozen, with the time and the request id', () => {
    const { events } = eventsWith();
    const audit = sink([AUTH_EVENTS.clientAuthenticationFailed]);
    events.addSink(audit);
    expect(events.wants(AUTH_EVENTS.clientAuthenticationFailed)).toBe(true);
    expect(events.wants(AUTH_EVENTS.tokenIssued)).toBe(false);
    runWithRequestContext({ requestId: 'req-1' }, () => events.emit(AUTH_EVENTS.clientAuthenticationFailed, INPUT));
    events.emit(AUTH_EVENTS.clientAuthenticationFailed, INPUT);
    expect(audit.written).toEqual([
      [AUTH_EVENTS.clientAuthenticationFailed, { ...INPUT, at: 1_700_000_000_000, requestId: 'req-1' }],
      [AUTH_EVENTS.clientAuthenticationFailed, { ...INPUT, at: 1_700_000_000_000 }],
    ]);
    expect(Object.isFrozen((audit.written[0] as unknown[])[1])).toBe(true);
  });

  it('wants what the host listens to: by name, by wildcard, or any event', () => {
    const named = new EventEmitter2();
    named.on(AUTH_EVENTS.loginFailed, () => undefined);
    expect(eventsWith(named).events.wants(AUTH_EVENTS.loginFailed)).toBe(true);
    expect(eventsWith(named).events.wants(AUTH_EVENTS.tokenIssued)).toBe(false);
    const wildcard = new EventEmitter2({ wildcard: true });
    wildcard.on('authnest.token.*', () => undefined);
    expect(eventsWith(wildcard).events.wants(AUTH_EVENTS.tokenRevoked)).toBe(true);
    expect(eventsWith(wildcard).events.wants(AUTH_EVENTS.loginFailed)).toBe(false);
    const any = new EventEmitter2({ wildcard: true });
    any.onAny(() => undefined);
    expect(eventsWith(any).events.wants(AUTH_EVENTS.loginFailed)).toBe(true);
  });

  it('never throws nor leaves a rejection unhandled when a listener fails; the other listeners still get the event', async () => {
    const emitter = new EventEmitter2();
    const received: unknown[] = [];
    emitter.on(AUTH_EVENTS.clientAuthenticationFailed, (event) => received.push(event));
    emitter.on(AUTH_EVENTS.clientAuthenticationFailed, async () => {
      throw new Error('async listener bug');
    });
    const { events } = eventsWith(emitter);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      expect(() => events.emit(AUTH_EVENTS.clientAuthenticationFailed, INPUT)).not.toThrow();
      emitter.on(AUTH_EVENTS.clientAuthenticationFailed, () => {
        throw new Error('listener bug');
      });
      expect(() => events.emit(AUTH_EVENTS.clientAuthenticationFailed, INPUT)).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
    expect(received).toHaveLength(2);
  });
});
