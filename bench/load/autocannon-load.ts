import autocannon from 'autocannon';
import type { Measurement } from '../results.js';
import type { HttpLoad } from './load-spec.js';
import { responseIsCorrect } from './response-checks.js';

/** autocannon's per-connection context: where the connection is in `bodies`. */
interface Rotation {
  next?: number;
}

/** The next index of a connection's round through `count` bodies (its first one at random). */
function turn(context: Rotation, count: number): number {
  context.next = ((context.next ?? Math.floor(Math.random() * count)) + 1) % count;
  return context.next;
}

/**
 * One round of `connections` keep-alive connections sending `target` for `seconds`. Every response is checked: a
 * non-2xx status, a wrong body, an error or a timeout counts as failed and not in the rate.
 */
export async function autocannonRound(target: HttpLoad, connections: number, seconds: number): Promise<Measurement> {
  let wrong = 0;
  const { bodies } = target;
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: target.method,
        headers: target.headers,
        ...(bodies ? { setupRequest: (request: object, context: Rotation) => ({ ...request, body: bodies[turn(context, bodies.length)] }) } : {}),
        ...(target.body !== undefined && !bodies ? { body: target.body } : {}),
        onResponse: (status: number, body: string) => {
          if (status >= 200 && status < 300 && !responseIsCorrect(target.check, body)) wrong += 1;
        },
      },
    ],
  });
  const ok = result['2xx'] - wrong;
  return {
    ok,
    failed: result.non2xx + wrong + result.errors,
    durationSeconds: result.duration,
    rate: ok / result.duration,
    latency: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean },
  };
}
