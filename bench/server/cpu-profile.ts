import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * BENCH_CPU_PROFILE=<file>: records a V8 CPU profile (open it in Chrome DevTools or speedscope) from READY until
 * SIGUSR2, then writes it. `--cpu-prof` would need a clean exit, which the load's end does not give.
 */
export async function profileUntilSignal(file: string | undefined): Promise<void> {
  if (!file) return;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  process.once('SIGUSR2', () => {
    void (async () => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      console.log(`PROFILE ${file}`);
    })();
  });
}
