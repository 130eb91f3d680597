import type { AuthModuleOptions } from './auth-options.interface.js';
import type { ResolvedFlowOptions } from './resolved-options.js';

/** Defaults of the browser-flow options (validated with the rest by `resolveAuthOptions`). */
export function resolveFlowOptions(raw: AuthModuleOptions, problems: string[]): ResolvedFlowOptions {
  const refreshToken = {
    ttl: raw.refreshToken?.ttl ?? 1_209_600,
    absoluteTtl: raw.refreshToken?.absoluteTtl ?? 7_776_000,
    reuseGrace: raw.refreshToken?.reuseGrace ?? 10,
  };
  if (refreshToken.absoluteTtl < refreshToken.ttl) problems.push('refreshToken.absoluteTtl: must not be shorter than refreshToken.ttl');
  const interaction = {
    mode: raw.interaction?.mode ?? 'builtin',
    loginUrl: raw.interaction?.loginUrl,
    ttl: raw.interaction?.ttl ?? 600,
    sessionTtl: raw.interaction?.sessionTtl ?? 86_400,
  };
  if (interaction.mode === 'custom' && !interaction.loginUrl) problems.push("interaction.loginUrl: required when interaction.mode is 'custom'");
  return {
    authorization: {
      codeTtl: raw.authorization?.codeTtl ?? 60,
      pkce: raw.authorization?.pkce ?? 'all-clients',
      allowPlainPkce: raw.authorization?.allowPlainPkce ?? false,
    },
    refreshToken,
    interaction,
    loginRateLimit: {
      perAccount: raw.loginRateLimit?.perAccount ?? { max: 10, window: 900 },
      perAddress: raw.loginRateLimit?.perAddress ?? { max: 50, window: 900 },
    },
  };
}
