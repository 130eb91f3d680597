import { Injectable, Module } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { expect } from 'vitest';
import { AuditTrail, type AuditRecord, type AuthEventName } from '../../src/index.js';
import { accessTokenIdOf } from '../../src/tokens/access-token-id.js';
import { authorizeWithLogin, clientRedirect, pkce, TestBrowser } from '../support/authorization-flow.js';
import { codeRequest, WEB } from '../support/flow-app.js';
import type { TestResponse } from '../support/http.js';
import { redeemCode } from '../support/oidc-app.js';
import type { TestApp } from '../support/test-app.js';

/** An event as a host listener received it. */
export interface CollectedEvent {
  name: string;
  event: Record<string, unknown>;
}

/**
 * The host app's listener in these tests: every authnest event through `onAny` (with its name), and a count of those
 * that reached a wildcard subscription (`@OnEvent('authnest.**')`, what a host would write).
 */
@Injectable()
export class EventCollector {
  readonly events: CollectedEvent[] = [];
  wildcardDeliveries = 0;

  constructor(emitter: EventEmitter2) {
    emitter.onAny((name, value) => {
      if (typeof name === 'string' && name.startsWith('authnest.')) this.events.push({ name, event: value as Record<string, unknown> });
    });
  }

  @OnEvent('authnest.**')
  countWildcard(): void {
    this.wildcardDeliveries += 1;
  }

  /** Payloads of the events named `name`, oldest first. */
  named(name: AuthEventName): Record<string, unknown>[] {
    return this.events.filter((collected) => collected.name === name).map((collected) => collected.event);
  }

  /** The events collected while `work` ran. */
  async during(work: () => Promise<unknown>): Promise<CollectedEvent[]> {
    const start = this.events.length;
    await work();
    return this.events.slice(start);
  }
}

/** `EventEmitterModule.forRoot({ wildcard: true })` and the collecting listener, as a host would import them. */
@Module({ imports: [EventEmitterModule.forRoot({ wildcard: true })], providers: [EventCollector], exports: [EventCollector] })
export class EventCollectorModule {}

/** The collector of a booted app. */
export function collectorOf(t: TestApp): EventCollector {
  return t.app.get(EventCollector);
}

/** The names of collected events, in order. */
export function namesOf(events: readonly CollectedEvent[]): string[] {
  return events.map((collected) => collected.name);
}

/**
 * The request id of a response (the `requestIds` header) when the app sends one: then every event of the request
 * carries it. Undefined when request ids are off.
 */
export function requestIdOf(res: TestResponse): string | undefined {
  return res.headers.get('x-request-id') ?? undefined;
}

/** Asserts an event carries `at` (epoch ms, recent) and, when the response had one, the request id. */
export function expectEventContext(event: Record<string, unknown>, res?: TestResponse): void {
  expect(typeof event.at).toBe('number');
  expect(Math.abs((event.at as number) - Date.now())).toBeLessThan(600_000);
  const requestId = res ? requestIdOf(res) : undefined;
  if (requestId !== undefined) expect(event.requestId).toBe(requestId);
}

/** The `jti` of an access token as issued (JWT or opaque): what events call `tokenId`. */
export function tokenIdOf(accessToken: string): string {
  const id = accessTokenIdOf(accessToken);
  if (!id) throw new Error('not an access token of this server');
  return id;
}

/**
 * Every secret a test run handled (tokens, codes, refresh tokens, client secrets, passwords, assertions, registration
 * access tokens): none may appear in any event, nor any row of the audit table. An opaque access token starts with its
 * id (which events carry as `tokenId`): its secret part is searched for too.
 */
export class SecretLedger {
  private readonly secrets = new Set<string>();

  add(...values: (string | undefined | null | unknown)[]): void {
    for (const value of values) {
      if (typeof value !== 'string' || value.length < 8) continue;
      this.secrets.add(value);
      if (/^[A-Za-z0-9_-]{65}$/.test(value)) this.secrets.add(value.slice(22));
      // A JWT's signature is what makes it a token; its claims (jti, sub) are reported on purpose.
      const parts = value.split('.');
      if (parts.length === 3 && parts[2]!.length >= 16) this.secrets.add(parts[2]!);
    }
  }

  /** Adds what a token response handed out. */
  addTokens(res: TestResponse): void {
    this.add(res.body.access_token, res.body.refresh_token, res.body.id_token);
  }

  get size(): number {
    return this.secrets.size;
  }

  /** Asserts no secret occurs in any of `values` serialized (collected events, audit records, raw rows). */
  async expectNoneIn(...values: unknown[]): Promise<void> {
    const haystacks = values.map((value) => JSON.stringify(value));
    for (const secret of this.secrets) {
      for (const haystack of haystacks) expect(haystack.includes(secret), `a secret (${secret.slice(0, 6)}...) leaked into an event`).toBe(false);
    }
  }
}

/** Every stored event, oldest first, after writing what waits. */
export async function storedEvents(t: TestApp): Promise<AuditRecord[]> {
  const trail = t.app.get(AuditTrail);
  await trail.flush();
  return (await trail.list({ limit: 1000 })).reverse();
}

/** An event as text with its (flat) fields in name order: stored events come back with another field order. */
const canonical = ({ name, event }: { name: string; event: object }): string => `${name} ${JSON.stringify(event, Object.keys(event).sort())}`;

/**
 * Asserts the audit table holds exactly the events the host listener received, those of the boot included (same names
 * and payloads; events of one millisecond have no order in the table). Resolves every stored record.
 */
export async function expectAuditMatches(t: TestApp, collected: readonly CollectedEvent[]): Promise<AuditRecord[]> {
  const stored = await storedEvents(t);
  expect(stored.map(canonical).sort()).toEqual(collected.map(canonical).sort());
  return stored;
}

/**
 * Logs alice in for `WEB` through the builtin pages (consenting when asked), redeems the code, and notes what it
 * handled in `secrets`; resolves the browser, the token response and the code.
 */
export async function webLogin(t: TestApp, secrets: SecretLedger, browser = new TestBrowser(t)): Promise<{ browser: TestBrowser; tokens: TestResponse; code: string }> {
  const { verifier, challenge } = pkce();
  const done = await authorizeWithLogin(browser, codeRequest(WEB, challenge));
  const code = clientRedirect(done, WEB.redirectUris![0]!).get('code')!;
  const tokens = await redeemCode(t, WEB, code, verifier);
  expect(tokens.status, tokens.text).toBe(200);
  secrets.add(code, verifier);
  secrets.addTokens(tokens);
  return { browser, tokens, code };
}
