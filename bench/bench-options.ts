import { parseArgs } from 'node:util';
import type { Database, Platform } from './results.js';

/** What `npm run bench -- [options]` was asked for. */
export interface BenchOptions {
  platforms: Platform[];
  databases: Database[];
  /** Scenario ids to run; empty: all. */
  scenarios: string[];
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Connections of the PostgreSQL saturation pass (the back-channel scenarios again); 0: none. */
  saturationConnections: number;
  /** 0: no soak. */
  soakSeconds: number;
  /** Write bench/results/ and the table in bench/README.md. */
  write: boolean;
}

/** Every scenario `--scenarios` may name. */
export const SCENARIO_IDS = ['token-opaque', 'token-jwt-es256', 'token-jwt-rs256', 'introspection', 'guarded-jwt', 'guarded-opaque', 'refresh-rotation', 'code-flow'] as const;

export const USAGE = `npm run bench -- [options]
  --quick                 1 round of 3 s, 1 s warm-up, a 60 s soak, results not written (a smoke run)
  --rounds N              rounds per contender (default 5)
  --seconds N             seconds per round (default 4)
  --warmup N              warm-up seconds per contender (default 2)
  --connections N         keep-alive connections (default 10)
  --saturation N          the token and introspection scenarios on PostgreSQL again at N connections (default 50; 0 skips)
  --platforms LIST        express,fastify (default both)
  --databases LIST        sqlite,postgres (default both; postgres needs BENCH_DATABASE_URL, TEST_DATABASE_URL or a local PostgreSQL install)
  --scenarios LIST        token-opaque,token-jwt-es256,token-jwt-rs256,introspection,guarded-jwt,guarded-opaque,refresh-rotation,code-flow
  --soak N                seconds of the memory soak (default 300; 0 skips it)
  --no-write              print only; leave bench/results/ and bench/README.md alone`;

function list<T extends string>(raw: string | undefined, allowed: readonly T[], name: string): T[] {
  if (raw === undefined) return [...allowed];
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown ${item} (${allowed.join(', ')})`);
  return items as T[];
}

function positive(raw: string | undefined, fallback: number, name: string, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return value;
}

export function benchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      saturation: { type: 'string' },
      platforms: { type: 'string' },
      databases: { type: 'string' },
      scenarios: { type: 'string' },
      soak: { type: 'string' },
      'no-write': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  return {
    platforms: list(values.platforms, ['express', 'fastify'] as const, 'platforms'),
    databases: list(values.databases, ['sqlite', 'postgres'] as const, 'databases'),
    scenarios: values.scenarios === undefined ? [] : list(values.scenarios, SCENARIO_IDS, 'scenarios'),
    rounds: positive(values.rounds, quick ? 1 : 5, 'rounds'),
    roundSeconds: positive(values.seconds, quick ? 3 : 4, 'seconds'),
    warmupSeconds: positive(values.warmup, quick ? 1 : 2, 'warmup', true),
    connections: positive(values.connections, 10, 'connections'),
    saturationConnections: positive(values.saturation, quick ? 0 : 50, 'saturation', true),
    soakSeconds: positive(values.soak, quick ? 60 : 300, 'soak', true),
    write: values['no-write'] !== true && !quick,
  };
}
