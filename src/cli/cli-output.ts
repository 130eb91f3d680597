/** Where the CLI writes: results to `log` (stdout), problems to `error` (stderr). Tests pass their own. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Formats a value for human output: dates as ISO 8601, lists space-separated, absent as `-`. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(show).join(' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Prints rows as tab-separated columns under a header line. */
export function printTable(output: CliOutput, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
  output.log(header.join('\t'));
  for (const row of rows) output.log(row.map(show).join('\t'));
}

/** Prints `key: value` lines. */
export function printFields(output: CliOutput, fields: Readonly<Record<string, unknown>>): void {
  const width = Math.max(...Object.keys(fields).map((key) => key.length));
  for (const [key, value] of Object.entries(fields)) output.log(`${`${key}:`.padEnd(width + 1)} ${show(value)}`);
}

/** Prints a value as JSON (dates as ISO 8601). */
export function printJson(output: CliOutput, value: unknown): void {
  output.log(JSON.stringify(value, null, 2));
}
