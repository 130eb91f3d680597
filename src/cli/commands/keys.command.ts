import { Command, Option } from 'commander';
import type { SigningAlgorithm } from '../../options/auth-options.interface.js';
import type { SigningKeyInfo } from '../../tokens/signing-keys.service.js';
import { printJson, printTable, show, type CliOutput } from '../cli-output.js';
import { CliError } from '../cli-settings.js';
import { withAdmin, withCommonFlags, type CliContext, type CommonFlags } from '../cli-run.js';

const KID = /^[\x21-\x7E]{1,64}$/;

function checkedKid(kid: string): string {
  if (!KID.test(kid)) throw new CliError('a key id is 1 to 64 printable characters (see authnest keys list)', 2);
  return kid;
}

function printKey(output: CliOutput, verb: string, key: SigningKeyInfo): void {
  const until = key.publishedUntil ? `, published until ${show(key.publishedUntil)}` : '';
  output.log(`authnest: ${verb} signing key ${key.kid} (${key.alg}): now ${key.state}${until}`);
}

/** `authnest keys list|rotate|retire|revoke`. Running instances pick changes up on their next key reload. */
export function keysCommand(context: CliContext, done: (code: number) => void): Command {
  const { output } = context;
  const keys = new Command('keys').description("list, rotate, retire and revoke the server's signing keys");
  const leaf = (name: string, description: string) => withCommonFlags(keys.command(name).description(description));

  leaf('list', 'every signing key with its state (no key material)').action(async (flags: CommonFlags) => {
    done(await withAdmin(context, 'keys list', flags, async (admin) => {
      const all = await admin.listKeys();
      if (flags.json) return printJson(output, all);
      printTable(output, ['kid', 'alg', 'state', 'signing', 'created', 'signs from', 'published until', 'revoked'], all.map((k) => [k.kid, k.alg, k.state, k.signing ? 'yes' : 'no', k.createdAt, k.activatesAt, k.publishedUntil, k.revokedAt]));
    }));
  });

  leaf('rotate', 'publish a new key; every instance signs with it signing.propagationDelay later')
    .addOption(new Option('--algorithm <alg>', "the new key's algorithm (default: the config's signing.algorithm, else the current key's)").choices(['ES256', 'RS256', 'EdDSA']))
    .action(async (flags: CommonFlags & { algorithm?: SigningAlgorithm }) => {
      done(await withAdmin(context, 'keys rotate', flags, async (admin) => {
        const rotated = await admin.rotateKey({ source: 'cli', ...(flags.algorithm ? { algorithm: flags.algorithm } : {}) });
        if (flags.json) return printJson(output, rotated);
        output.log(`authnest: published signing key ${rotated.kid} (${rotated.alg}), signs from ${rotated.activatesAt.toISOString()}`);
        output.log('running instances publish it within signing.reloadInterval and sign with it from then on; the key before it retires by itself');
      }));
    });

  leaf('retire', 'stop using a key that does not sign; it stays published until its tokens have expired')
    .argument('<kid>')
    .action(async (kid: string, flags: CommonFlags) => {
      done(await withAdmin(context, 'keys retire', flags, async (admin) => {
        const key = await admin.retireKey(checkedKid(kid), { source: 'cli' });
        if (flags.json) return printJson(output, key);
        printKey(output, 'retired', key);
      }));
    });

  leaf('revoke', 'revoke a (compromised) key at once: out of the JWKS, never used again')
    .argument('<kid>', "a kid that starts with '-' goes last, after --")
    .action(async (kid: string, flags: CommonFlags) => {
      done(await withAdmin(context, 'keys revoke', flags, async (admin) => {
        const key = await admin.revokeKey(checkedKid(kid), { source: 'cli' });
        if (flags.json) return printJson(output, key);
        printKey(output, 'revoked', key);
        output.log('running instances stop publishing and using it within signing.reloadInterval; a replacement signs at once if it was signing');
      }));
    });
  return keys;
}
