/** Number and text formats shared by the Markdown tables and the SVG chart. */

/** `value` rounded to three significant figures, as a number (so `6200`, not `6.20e+3`). */
function threeFigures(value: number): number {
  return Number(value.toPrecision(3));
}

/**
 * A rate to three significant figures, thousands as `12.3k` and millions as `1.20M`: `12345` → `12.3k`, `5400` →
 * `5.40k`, `999.6` → `1.00k`, `4.567` → `4.57`, `412` → `412`. Below 0.001: `0`. Not a finite number: `—`.
 */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const rounded = threeFigures(value);
  if (Math.abs(rounded) < 0.001) return '0';
  if (Math.abs(rounded) >= 1e6) return `${(rounded / 1e6).toPrecision(3)}M`;
  if (Math.abs(rounded) >= 1e3) return `${(rounded / 1e3).toPrecision(3)}k`;
  return rounded.toPrecision(3);
}

/** A latency in milliseconds, without the unit: 2 decimals below 10 ms (`1.23`), 1 decimal from 10 ms on (`12.3`). */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const fine = value.toFixed(2);
  return Math.abs(Number(fine)) < 10 ? fine : value.toFixed(1);
}

/** A ratio as `2.31x`; `—` for none. */
export function formatRatio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}x`;
}

/** A target ratio as `>= 2x`; `—` for none. */
export function formatTarget(value: number | null): string {
  return value === null ? '—' : `>= ${value}x`;
}

/** `✅`, `❌`, or `—` when there is nothing to meet. */
export function formatMet(met: boolean | null): string {
  return met === null ? '—' : met ? '✅' : '❌';
}

/** A growth factor minus one (0.05) as a signed percentage: `+5.0 %`. */
export function formatGrowth(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const percent = (value * 100).toFixed(1);
  return `${value >= 0 ? '+' : ''}${percent} %`;
}
