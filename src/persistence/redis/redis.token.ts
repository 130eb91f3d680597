/** DI token of the server's Redis (`AuthRedis`), or null without the `redis` option. */
export const AUTH_REDIS = Symbol('authnest:redis');
