/** Why an admin operation was refused. */
export type AuthAdminErrorReason = 'not_found' | 'invalid' | 'conflict' | 'refused';

/**
 * Thrown by `AuthAdminService` when an operation cannot be done as asked: an unknown client or key (`not_found`),
 * metadata that fails validation (`invalid`, each problem named in `problems`), a client id already taken
 * (`conflict`), or a change the current state does not allow (`refused`). Messages never carry a secret.
 */
export class AuthAdminError extends Error {
  constructor(
    readonly reason: AuthAdminErrorReason,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}` : message);
    this.name = 'AuthAdminError';
  }
}
