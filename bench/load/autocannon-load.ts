import autocannon from 'autocannon';
import type { Measurement } from '../results.js';
import type { HttpLoad } from './load-spec.js';
import { responseIsCorrect } from './response-checks.js';

/**
 * One round of `connections` keep-alive connections sending `target` for `seconds`. Every response is checked: a
 * non-2xx status, a wrong body, an error or a timeout counts as failed and not in the rate.
 */
export async function autocannonRound(target: HttpLoad, connections: number, seconds: number): Promise<Measurement> {
  let wrong = 0;
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
        ...(target.body !== undefined ? { body: target.body } : {}),
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
