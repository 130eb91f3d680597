/** Number formats shared by the Markdown table and the chart. */

/** A rate to 3 significant figures, thousands as `12.3k`. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

/** A latency in ms: 2 decimals below 10 ms, 1 above. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

export function formatRatio(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(2)}x`;
}
