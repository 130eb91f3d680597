/** HTTP platforms every e2e scenario runs on. */
export type Platform = 'express' | 'fastify';
/** Databases every e2e scenario runs on (PostgreSQL only when TEST_DATABASE_URL is set). */
export type Database = 'sqlite' | 'postgres';

export function testMatrix(): [Platform, Database][] {
  const databases: Database[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  return (['express', 'fastify'] as const).flatMap((platform) => databases.map((db): [Platform, Database] => [platform, db]));
}
