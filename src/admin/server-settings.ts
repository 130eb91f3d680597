/**
 * Server settings a client's metadata is checked against that the process running the admin service may not know:
 * the `authnest` CLI boots with the config file's options, which need not list the app's `scopes`, `resources` or
 * `dpop`. An app always knows them (nothing is provided under this token there).
 */
export type ServerSetting = 'scopes' | 'resources' | 'dpop';

/** DI token (internal): the settings not to check against, as a `ReadonlySet<ServerSetting>`. */
export const UNKNOWN_SERVER_SETTINGS = Symbol('authnest:unknown-server-settings');
