// Preloaded with `node --import <this file>`: shifts this process's wall clock by SKEW_MS milliseconds (positive: ahead),
// as a host whose clock drifted would be. `Date.now()` and `new Date()` (what authnest's Clock and jose read) move;
// `new Date(value)`, `Date.UTC`, `Date.parse` and the monotonic clocks (timers, performance.now) do not.
const skew = Number(process.env.SKEW_MS ?? '0');
if (!Number.isFinite(skew)) throw new Error(`SKEW_MS is not a number: ${process.env.SKEW_MS}`);
if (skew !== 0) {
  const RealDate = globalThis.Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }

    static now() {
      return RealDate.now() + skew;
    }
  }
  globalThis.Date = SkewedDate;
}
