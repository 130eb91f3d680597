import { dirname, join } from 'node:path';
import { readAuthnestConfig, type AuthnestConfig } from 'authnest';

/** The sample's SQLite file unless configured otherwise. */
export const DEFAULT_SAMPLE_DB = 'data/authnest-sample.sqlite';

let loaded: Promise<AuthnestConfig> | undefined;

/**
 * The configuration the sample shares with `npx authnest` (the admin CLI): the file named by AUTHNEST_CONFIG, else
 * AUTHNEST_DATABASE_URL (+ AUTHNEST_DATABASE_SCHEMA) or AUTHNEST_SQLITE_PATH and AUTHNEST_ENCRYPTION_SECRET; then the
 * sample's older variables (DATABASE_URL, SAMPLE_DB); else the SQLite file data/authnest-sample.sqlite. So
 * `npx authnest clients list --sqlite data/authnest-sample.sqlite` (or with the same variables set) sees the sample's data.
 */
export function sampleAuthnestConfig(): Promise<AuthnestConfig> {
  loaded ??= readAuthnestConfig().then((config) => ({
    ...config,
    database:
      config.database ??
      (process.env.DATABASE_URL ? { type: 'postgres', url: process.env.DATABASE_URL } : { type: 'sqlite', path: process.env.SAMPLE_DB ?? DEFAULT_SAMPLE_DB }),
  }));
  return loaded;
}

/**
 * The development secret file when no encryption secret is configured: beside the SQLite file (where the CLI looks
 * for it), or under data/ for PostgreSQL (pass `--secret-file data/.authnest/secret.key` to the CLI then).
 */
export function sampleSecretFile(config: AuthnestConfig): string {
  const database = config.database;
  if (database?.type === 'sqlite' && database.path && database.path !== ':memory:') return join(dirname(database.path), '.authnest', 'secret.key');
  return 'data/.authnest/secret.key';
}
