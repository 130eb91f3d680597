import type { ValueTransformer } from 'typeorm';

/** bigint columns hold epoch milliseconds; PostgreSQL returns them as strings. */
export const epochMillis: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** Lists stored as JSON text: portable between SQLite and PostgreSQL. */
export const jsonList: ValueTransformer = {
  to: (value: readonly string[] | undefined) => JSON.stringify(value ?? []),
  from: (value: string | null): string[] => {
    if (!value) return [];
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  },
};

/** A list stored as JSON text where null (absent, "no restriction") stays distinct from `[]`. */
export const nullableJsonList: ValueTransformer = {
  to: (value: readonly string[] | null | undefined) => (value === null || value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null): string[] | null => (value === null || value === undefined ? null : (jsonList.from as (raw: string) => string[])(value)),
};

/** A JSON object stored as text (null stays null): portable between SQLite and PostgreSQL. */
export const jsonObject: ValueTransformer = {
  to: (value: object | null | undefined) => (value === null || value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null): unknown => (value ? JSON.parse(value) : null),
};
