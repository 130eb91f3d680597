import { Command, Option } from 'commander';
import type { AdminClient, ClientChanges } from '../../admin/auth-admin.types.js';
import type { AccessTokenFormat, ClientAuthMethod } from '../../options/auth-options.interface.js';
import { printFields, printJson, printTable, type CliOutput } from '../cli-output.js';
import { withAdmin, withCommonFlags, type CliContext, type CommonFlags } from '../cli-run.js';

/** The client metadata flags of `clients create` and `clients update`. */
interface ClientFlags extends CommonFlags {
  name?: string;
  grantType?: string[];
  scope?: string[];
  defaultScope?: string[];
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  authMethod?: string[];
  public?: boolean;
  firstParty?: boolean;
  introspection?: boolean;
  accessTokenFormat?: string;
  audience?: string;
}

/** A repeatable list flag: each use adds its values (split on commas and spaces); `--flag ''` gives an empty list. */
function list(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(/[\s,]+/).filter((part) => part !== '')];
}

function withMetadataFlags(command: Command, creating: boolean): Command {
  const lists = creating ? '' : ' (replaces the stored list; \'\' empties it)';
  return command
    .option('--name <name>', 'display name')
    .option('--grant-type <types>', `grant types, repeatable or comma-separated${lists}`, list)
    .option('--scope <scopes>', `scopes the client may be granted${lists}`, list)
    .option('--default-scope <scopes>', `scopes granted when a request names none${lists}`, list)
    .option('--redirect-uri <uris>', `redirect URIs, matched exactly${lists}`, list)
    .option('--post-logout-redirect-uri <uris>', `where logout may return to${lists}`, list)
    .option('--auth-method <methods>', 'client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt or none', list)
    .option('--first-party', 'trusted: users are not asked for consent')
    .option('--introspection', 'may call the introspection endpoint')
    .addOption(new Option('--access-token-format <format>', 'access tokens of this client').choices(['jwt', 'opaque']))
    .option('--audience <aud>', "the access tokens' audience");
}

function changesOf(flags: ClientFlags): ClientChanges {
  const changes: ClientChanges = {
    name: flags.name,
    grantTypes: flags.grantType,
    scopes: flags.scope,
    defaultScopes: flags.defaultScope,
    redirectUris: flags.redirectUri,
    postLogoutRedirectUris: flags.postLogoutRedirectUri,
    authMethods: flags.public ? ['none'] : (flags.authMethod as ClientAuthMethod[] | undefined),
    firstParty: flags.firstParty,
    allowIntrospection: flags.introspection,
    accessTokenFormat: flags.accessTokenFormat as AccessTokenFormat | undefined,
    audience: flags.audience,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as ClientChanges;
}

function describe(client: AdminClient): Record<string, unknown> {
  return {
    client_id: client.clientId,
    name: client.name,
    status: client.disabled ? 'disabled' : 'enabled',
    type: client.confidential ? 'confidential' : 'public',
    auth_methods: client.authMethods,
    grant_types: client.grantTypes,
    scopes: client.scopes,
    default_scopes: client.defaultScopes,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    first_party: client.firstParty,
    introspection: client.allowIntrospection,
    access_token_format: client.accessTokenFormat,
    audience: client.audience,
    registered: client.registeredAt === null ? 'no (seeded or created by an administrator)' : new Date(client.registeredAt),
    created: new Date(client.createdAt),
    updated: new Date(client.updatedAt),
  };
}

function printClient(output: CliOutput, client: AdminClient, json: boolean | undefined): void {
  if (json) printJson(output, client);
  else printFields(output, describe(client));
}

/** Prints a secret once, on stdout only. */
function printSecret(output: CliOutput, clientId: string, secret: string): void {
  output.log(`client_secret: ${secret}`);
  output.log(`(shown once: give it to the owner of ${clientId} now; authnest keeps only its hash)`);
}

/** `authnest clients create|list|show|update|disable|enable|rotate-secret`. */
export function clientsCommand(context: CliContext, done: (code: number) => void): Command {
  const { output } = context;
  const clients = new Command('clients').description('create, list, change, disable and re-key OAuth clients');
  const leaf = (name: string, description: string) => withCommonFlags(clients.command(name).description(description));

  withMetadataFlags(leaf('create', 'create a client; a confidential one gets a generated secret, printed once').argument('[clientId]', 'the client_id (default: a random one)'), true)
    .option('--public', "a public client (no secret, authentication 'none', PKCE)")
    .action(async (clientId: string | undefined, flags: ClientFlags) => {
      done(await withAdmin(context, 'clients create', flags, async (admin) => {
        const created = await admin.createClient({ ...changesOf(flags), ...(clientId === undefined ? {} : { clientId }) }, { source: 'cli' });
        if (flags.json) return printJson(output, created);
        output.log(`authnest: created client ${created.client.clientId} (${created.client.confidential ? 'confidential' : 'public'}, ${created.client.authMethods.join(', ')})`);
        if (created.clientSecret !== undefined) printSecret(output, created.client.clientId, created.clientSecret);
      }));
    });

  leaf('list', 'list every client').action(async (flags: CommonFlags) => {
    done(await withAdmin(context, 'clients list', flags, async (admin) => {
      const all = await admin.listClients();
      if (flags.json) return printJson(output, all);
      if (all.length === 0) return output.log('authnest: no clients');
      printTable(output, ['client_id', 'status', 'type', 'name', 'grant_types'], all.map((c) => [c.clientId, c.disabled ? 'disabled' : 'enabled', c.confidential ? 'confidential' : 'public', c.name, c.grantTypes]));
    }));
  });

  leaf('show', 'show one client (never its secret)').argument('<clientId>').action(async (clientId: string, flags: CommonFlags) => {
    done(await withAdmin(context, 'clients show', flags, async (admin) => printClient(output, await admin.getClient(clientId), flags.json)));
  });

  withMetadataFlags(leaf('update', 'change a client; the flags given replace the stored values').argument('<clientId>'), false).action(async (clientId: string, flags: ClientFlags) => {
    done(await withAdmin(context, 'clients update', flags, async (admin) => {
      const client = await admin.updateClient(clientId, changesOf(flags), { source: 'cli' });
      if (!flags.json) output.log(`authnest: updated client ${clientId}`);
      printClient(output, client, flags.json);
    }));
  });

  leaf('disable', 'disable a client and revoke its tokens and codes').argument('<clientId>').action(async (clientId: string, flags: CommonFlags) => {
    done(await withAdmin(context, 'clients disable', flags, async (admin) => {
      const { client, revoked } = await admin.disableClient(clientId, { source: 'cli' });
      if (flags.json) return printJson(output, { client, revoked });
      output.log(`authnest: disabled client ${clientId}; revoked ${revoked.accessTokens} access and ${revoked.refreshTokens} refresh tokens, ${revoked.codes} codes`);
    }));
  });

  leaf('enable', 'let a disabled client authenticate again').argument('<clientId>').action(async (clientId: string, flags: CommonFlags) => {
    done(await withAdmin(context, 'clients enable', flags, async (admin) => {
      const client = await admin.enableClient(clientId, { source: 'cli' });
      if (flags.json) return printJson(output, client);
      output.log(`authnest: enabled client ${clientId}`);
    }));
  });

  leaf('rotate-secret', 'give a client a new secret, printed once; the old one stops working').argument('<clientId>').action(async (clientId: string, flags: CommonFlags) => {
    done(await withAdmin(context, 'clients rotate-secret', flags, async (admin) => {
      const rotated = await admin.rotateClientSecret(clientId, { source: 'cli' });
      if (flags.json) return printJson(output, rotated);
      output.log(`authnest: new secret for client ${clientId}; the previous one no longer works`);
      printSecret(output, clientId, rotated.clientSecret);
    }));
  });
  return clients;
}
