import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliAuthOptions, CliError, readCliSettings, readEncryptionSecret } from './cli-settings.js';

const SECRET = 'a-secret-of-at-least-32-characters-0123';
const dir = mkdtempSync(join(tmpdir(), 'authnest-cli-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('authnest CLI settings', () => {
  it('takes the database from the flags, else the config file, else the environment', async () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ database: { type: 'sqlite', path: 'from-file.sqlite' } }));
    const env = { AUTHNEST_SQLITE_PATH: 'from-env.sqlite' };
    expect((await readCliSettings({}, env)).target).toEqual({ kind: 'sqlite', path: 'from-env.sqlite', migrations: 'check' });
    expect((await readCliSettings({ config: file }, env)).target).toMatchObject({ path: 'from-file.sqlite' });
    expect((await readCliSettings({}, { ...env, AUTHNEST_CONFIG: file })).target).toMatchObject({ path: 'from-file.sqlite' });
    expect((await readCliSettings({ config: file, sqlite: 'flag.sqlite' }, env)).target).toMatchObject({ path: 'flag.sqlite' });
    const pg = await readCliSettings({}, { AUTHNEST_DATABASE_URL: 'postgres://u:p@db/app', AUTHNEST_DATABASE_SCHEMA: 'auth' });
    expect(pg.target).toEqual({ kind: 'postgres', url: 'postgres://u:p@db/app', schema: 'auth', poolSize: 2, migrations: 'check' });
    expect((await readCliSettings({ url: 'postgres://db/other', schema: 'x' }, {})).target).toMatchObject({ url: 'postgres://db/other', schema: 'x' });
  });

  it.each([
    [{}, {}, 'no database'],
    [{ sqlite: 'a', url: 'postgres://db/a' }, {}, 'not both'],
    [{ url: 'mysql://u:hunter2@db/a' }, {}, 'postgres:// URL'],
    [{ sqlite: 'a', schema: 's' }, {}, 'PostgreSQL only'],
    [{ url: 'postgres://db/a', schema: 'a"; drop' }, {}, 'identifier'],
    [{}, { AUTHNEST_SQLITE_PATH: 'a', AUTHNEST_DATABASE_URL: 'postgres://db/a' }, 'not both'],
  ])('refuses %j with %j', async (flags, env, message) => {
    const error = await readCliSettings(flags, env).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toContain(message);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('reads the secret from --secret-file, else the config or the environment, else the development file beside the SQLite file', async () => {
    const secretFile = join(dir, 'secret.key');
    writeFileSync(secretFile, `${SECRET}\n`);
    const base = await readCliSettings({ sqlite: join(dir, 'db.sqlite') }, { AUTHNEST_ENCRYPTION_SECRET: 'env-secret-of-at-least-32-characters-01' });
    expect(readEncryptionSecret(base)).toBe('env-secret-of-at-least-32-characters-01');
    expect(readEncryptionSecret({ ...base, secretFile })).toBe(SECRET);
    const none = await readCliSettings({ sqlite: join(dir, 'db.sqlite') }, {});
    expect(() => readEncryptionSecret(none)).toThrow(/no encryption secret: set AUTHNEST_ENCRYPTION_SECRET/);
    mkdirSync(join(dir, '.authnest'));
    writeFileSync(join(dir, '.authnest', 'secret.key'), 'too-short\n');
    expect(() => readEncryptionSecret(none)).toThrow(CliError);
    writeFileSync(join(dir, '.authnest', 'secret.key'), `${SECRET}\n`);
    expect(readEncryptionSecret(none)).toBe(SECRET);
  });

  it('boots AuthModule in check mode, without the config clients, with the secret and the algorithm', async () => {
    const file = join(dir, 'full.json');
    writeFileSync(file, JSON.stringify({ database: { type: 'sqlite', path: 'x.sqlite' }, scopes: ['a'], clients: [{ clientId: 'c' }], encryptionSecret: 'ignored-here' }));
    const settings = await readCliSettings({ config: file }, {});
    const options = cliAuthOptions(settings, SECRET, 'RS256');
    expect(options).toEqual({ scopes: ['a'], issuer: 'http://localhost', database: { type: 'sqlite', path: 'x.sqlite', migrations: 'check' }, signing: { encryptionSecret: SECRET, algorithm: 'RS256' }, purgeInterval: 0 });
  });
});
