import type { SigningKeyEntity } from '../persistence/entities/signing-key.entity.js';

/**
 * The timing of the key lifecycle, in milliseconds, from the options (`signing.propagationDelay`, the longest
 * lifetime of anything signed plus a margin). Every instance reads the same rows and the same options, so every
 * instance computes the same instants without talking to the others.
 */
export interface KeyTimeline {
  /** How long after its creation a rotated key (no explicit `activate_at`) starts signing. */
  propagationDelayMs: number;
  /** How long a superseded key stays published after its successor started signing. */
  retentionMs: number;
}

/**
 * Where a key is in its life:
 * - `pending`: published, signs from `activatesAt` on;
 * - `active`: the latest activated key of its algorithm (the one that signs, when its algorithm is `signing.algorithm`);
 * - `retiring`: superseded; published until `publishedUntil` so the tokens it signed keep verifying;
 * - `retired`: no longer published (purged soon);
 * - `revoked`: never published nor used again.
 */
export type SigningKeyState = 'pending' | 'active' | 'retiring' | 'retired' | 'revoked';

/** A key's place in the lifecycle at one instant. */
export interface SigningKeyPhase {
  state: SigningKeyState;
  /** Epoch ms when the key starts (or started) signing. */
  activatesAt: number;
  /** Epoch ms after which the key is no longer published; null while it has no activated successor. */
  publishedUntil: number | null;
}

type Row = Pick<SigningKeyEntity, 'kid' | 'alg' | 'status' | 'createdAt' | 'activateAt' | 'retireAfter' | 'revokedAt'>;

/** When `key` starts signing. */
export function activationOf(key: Row, timeline: KeyTimeline): number {
  return key.activateAt ?? key.createdAt + timeline.propagationDelayMs;
}

/** Orders keys by activation, then creation, then kid: the same total order on every instance. */
function later(a: Row, b: Row, timeline: KeyTimeline): boolean {
  const [x, y] = [activationOf(a, timeline), activationOf(b, timeline)];
  if (x !== y) return x > y;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.kid > b.kid;
}

/**
 * Whether `key` competes for signing: an active key, or a key revoked after it had started signing (it still ends
 * the signing of every key before it: an older key never signs again). A key revoked before its activation never did.
 */
function contends(key: Row, timeline: KeyTimeline): boolean {
  if (key.status === 'active') return true;
  return key.status === 'revoked' && key.revokedAt !== null && activationOf(key, timeline) <= key.revokedAt;
}

/** The latest contender of `alg` activated at `now`, revoked or not. */
function latestActivated(keys: readonly Row[], alg: string, now: number, timeline: KeyTimeline): Row | undefined {
  let latest: Row | undefined;
  for (const key of keys) {
    if (key.alg !== alg || !contends(key, timeline) || activationOf(key, timeline) > now) continue;
    if (!latest || later(key, latest, timeline)) latest = key;
  }
  return latest;
}

/**
 * The key of `alg` that signs at `now`: the latest activated one. Undefined when there is none, or when that key was
 * revoked: a replacement must then be created (activated at once), rather than an older key signing again.
 */
export function signerOf<T extends Row>(keys: readonly T[], alg: string, now: number, timeline: KeyTimeline): T | undefined {
  const latest = latestActivated(keys, alg, now, timeline);
  return latest?.status === 'active' ? (latest as T) : undefined;
}

/** When the earliest live successor of `key` (same algorithm, later in the order) starts signing. */
function successorActivation(key: Row, keys: readonly Row[], timeline: KeyTimeline): number | null {
  let earliest: number | null = null;
  for (const other of keys) {
    if (other.alg !== key.alg || other.status !== 'active' || !later(other, key, timeline)) continue;
    const activation = activationOf(other, timeline);
    if (earliest === null || activation < earliest) earliest = activation;
  }
  return earliest;
}

/** Where `key` is at `now` among `keys` (all keys of the table). */
export function phaseOf(key: Row, keys: readonly Row[], now: number, timeline: KeyTimeline): SigningKeyPhase {
  const activatesAt = activationOf(key, timeline);
  if (key.status === 'revoked') return { state: 'revoked', activatesAt, publishedUntil: key.revokedAt };
  if (key.status === 'retired') {
    const published = key.retireAfter === null || key.retireAfter > now;
    return { state: published ? 'retiring' : 'retired', activatesAt, publishedUntil: key.retireAfter };
  }
  const successor = successorActivation(key, keys, timeline);
  // A successor that has not started signing yet supersedes nothing: this key signs until it does.
  const publishedUntil = successor === null || successor > now ? null : successor + timeline.retentionMs;
  if (activatesAt > now) return { state: 'pending', activatesAt, publishedUntil: null };
  if (publishedUntil !== null) return { state: publishedUntil > now ? 'retiring' : 'retired', activatesAt, publishedUntil };
  return { state: latestActivated(keys, key.alg, now, timeline) === key ? 'active' : 'retiring', activatesAt, publishedUntil };
}

/** Whether `key` is in the JWK Set at `now`: pending, active and retiring keys are; retired and revoked keys are not. */
export function isPublished(key: Row, keys: readonly Row[], now: number, timeline: KeyTimeline): boolean {
  const { state } = phaseOf(key, keys, now, timeline);
  return state === 'pending' || state === 'active' || state === 'retiring';
}

/**
 * The keys the purge may delete at `now`: retired ones, and revoked ones once everything they could have signed has
 * expired and a later key of their algorithm took over (so deleting them never lets an older key sign again).
 */
export function purgeableKeys<T extends Row>(keys: readonly T[], now: number, timeline: KeyTimeline): T[] {
  return keys.filter((key) => {
    const { state } = phaseOf(key, keys, now, timeline);
    if (state === 'retired') return true;
    if (state !== 'revoked' || key.revokedAt === null || key.revokedAt + timeline.retentionMs > now) return false;
    return keys.some((other) => other.alg === key.alg && other.status === 'active' && later(other, key, timeline) && activationOf(other, timeline) <= now);
  });
}
