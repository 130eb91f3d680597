/** DI token of the validated options (`ResolvedAuthOptions`). */
export const AUTH_OPTIONS = Symbol('authnest:options');

/** DI token of authnest's TypeORM DataSource handle (`AuthDataSource`). */
export const AUTH_DATA_SOURCE = Symbol('authnest:data-source');
