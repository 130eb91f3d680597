import { Command } from 'commander';
import { printJson } from '../cli-output.js';
import { withAdmin, withCommonFlags, type CliContext, type CommonFlags } from '../cli-run.js';

/** `authnest grants revoke --user SUB | --client ID`. */
export function grantsCommand(context: CliContext, done: (code: number) => void): Command {
  const { output } = context;
  const grants = new Command('grants').description("revoke a user's or a client's tokens, codes and consents");
  withCommonFlags(grants.command('revoke').description('revoke every live token and code of a user or a client, and forget their consents'))
    .option('--user <subject>', 'the user (the subject of their tokens)')
    .option('--client <clientId>', 'the client')
    .action(async (flags: CommonFlags & { user?: string; client?: string }) => {
      if ((flags.user === undefined) === (flags.client === undefined)) {
        output.error('authnest: pass exactly one of --user SUB and --client ID\n(see authnest grants revoke --help)');
        return done(2);
      }
      done(await withAdmin(context, 'grants revoke', flags, async (admin) => {
        const owner = flags.user !== undefined ? { subject: flags.user } : { clientId: flags.client! };
        const revoked = await admin.revokeGrants(owner, { source: 'cli' });
        if (flags.json) return printJson(output, revoked);
        const who = 'subject' in owner ? `user ${owner.subject}` : `client ${owner.clientId}`;
        output.log(`authnest: revoked ${revoked.accessTokens} access and ${revoked.refreshTokens} refresh tokens and ${revoked.codes} codes of ${who}; forgot ${revoked.consents} consents`);
      }));
    });
  return grants;
}

/** `authnest purge`: deletes expired rows now, as each app does every `purgeInterval`. */
export function purgeCommand(context: CliContext, done: (code: number) => void): Command {
  return withCommonFlags(new Command('purge').description('delete expired tokens, codes, sessions, rate-limit windows and retired keys'))
    .action(async (flags: CommonFlags) => {
      done(await withAdmin(context, 'purge', flags, async (admin) => {
        const deleted = await admin.purgeExpired();
        if (flags.json) return printJson(context.output, { deleted });
        context.output.log(`authnest: purged ${deleted} expired rows`);
      }));
    });
}
