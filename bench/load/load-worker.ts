import { codeFlowLoad, refreshLoad } from '../flows/refresh-chain.js';
import type { Measurement } from '../results.js';
import { autocannonRound } from './autocannon-load.js';
import { RESULT_PREFIX, type LoadSpec } from './load-spec.js';

/**
 * A load generator process: the runner starts it pinned to the core the servers are not on, with one `LoadSpec` as
 * JSON in argv[2], and reads the `RESULT` line. A process of its own, so that generating load never shares a core
 * with the server measured.
 */
async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  const { target, connections, seconds } = spec;
  let result: Measurement & { errors?: string[] };
  if (target.kind === 'http') result = await autocannonRound(target, connections, seconds);
  else if (target.kind === 'code-flow') result = await codeFlowLoad(target.base, connections, seconds);
  else result = await refreshLoad(target.base, connections, seconds);
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
