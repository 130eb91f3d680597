/** An `exports` map as package.json holds it: a target, or conditions (possibly nested) leading to targets. */
export type ExportsValue = string | null | { [condition: string]: ExportsValue };

/** One subpath of the `exports` map, flattened. */
export interface ExportEntry {
  /** `.`, `./health`, `./package.json`... */
  subpath: string;
  /** How a user imports it: `authnest`, `authnest/health`. */
  specifier: string;
  /** Code targets (every non-`types` condition), relative to the package root. */
  code: string[];
  /** The `types` targets. */
  types: string[];
  /** Every condition object's keys in order (the `types` condition must come first in each). */
  conditionOrders: string[][];
}

/** Flattens a package's `exports` map (a bare string or a conditions object at the top means the `.` subpath). */
export function exportEntries(packageName: string, exportsField: ExportsValue | undefined): ExportEntry[] {
  if (exportsField === undefined || exportsField === null) return [];
  const bySubpath =
    typeof exportsField === 'string' || !Object.keys(exportsField).some((key) => key.startsWith('.'))
      ? { '.': exportsField }
      : exportsField;
  return Object.entries(bySubpath).map(([subpath, value]) => {
    const entry: ExportEntry = {
      subpath,
      specifier: subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`,
      code: [],
      types: [],
      conditionOrders: [],
    };
    collect(value, entry, false);
    return entry;
  });
}

function collect(value: ExportsValue, entry: ExportEntry, underTypes: boolean): void {
  if (value === null) return;
  if (typeof value === 'string') {
    (underTypes ? entry.types : entry.code).push(value.replace(/^\.\//, ''));
    return;
  }
  entry.conditionOrders.push(Object.keys(value));
  for (const [condition, target] of Object.entries(value)) collect(target, entry, underTypes || condition === 'types');
}
