import { sha256 } from '../../support/authorization-flow.js';
import { queryClusterDatabase, type ClusterDatabase } from './cluster-database.js';

/** The live (unrevoked) tokens of one grant (a code and everything issued from it), as the database holds them. */
export interface LiveRows {
  accessTokens: number;
  refreshTokens: number;
}

const quoted = (hashes: string[]) => hashes.map((hash) => `'${hash}'`).join(', ');

/**
 * For each code or refresh token (by its SHA-256, as stored), the live access and refresh tokens of its grant. Every
 * token is counted, also those an instance stored before it died without answering (no client ever saw them).
 */
export async function liveRowsOfGrants(database: ClusterDatabase, secrets: { codes: string[]; refreshTokens: string[] }): Promise<Map<string, LiveRows>> {
  const codeHashes = secrets.codes.map(sha256);
  const refreshHashes = secrets.refreshTokens.map(sha256);
  const grants = await queryClusterDatabase(
    database,
    `SELECT code_hash AS h, id AS g FROM authnest_authorization_codes WHERE code_hash IN (${quoted(codeHashes)}) ` +
      `UNION ALL SELECT token_hash AS h, grant_id AS g FROM authnest_refresh_tokens WHERE token_hash IN (${quoted(refreshHashes)})`,
  );
  const grantOf = new Map(grants.map((row) => [String(row.h), String(row.g)]));
  const ids = [...new Set(grantOf.values())];
  const live = async (table: string) =>
    new Map(
      (
        await queryClusterDatabase(database, `SELECT grant_id AS g, COUNT(*) AS n FROM ${table} WHERE revoked_at IS NULL AND grant_id IN (${quoted(ids)}) GROUP BY grant_id`)
      ).map((row) => [String(row.g), Number(row.n)]),
    );
  const [access, refresh] = [await live('authnest_access_tokens'), await live('authnest_refresh_tokens')];
  const result = new Map<string, LiveRows>();
  for (const [index, secret] of [...secrets.codes, ...secrets.refreshTokens].entries()) {
    const grant = grantOf.get([...codeHashes, ...refreshHashes][index]!);
    if (grant === undefined) throw new Error('a code or refresh token of the test is not in the database');
    result.set(secret, { accessTokens: access.get(grant) ?? 0, refreshTokens: refresh.get(grant) ?? 0 });
  }
  return result;
}
