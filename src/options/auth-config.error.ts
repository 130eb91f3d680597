/** Thrown at boot when options are invalid or unsafe. Each problem names its option path. */
export class AuthConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    moduleName = 'AuthModule',
  ) {
    super(`authnest: invalid ${moduleName} options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AuthConfigError';
  }
}
