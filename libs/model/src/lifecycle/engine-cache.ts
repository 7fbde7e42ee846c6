import type { LifecycleEngine } from './lifecycle-engine';
import type { ApplicationSnapshot, ReactOptions } from './lifecycle.types';

interface KeptEngine {
  readonly engine: LifecycleEngine;
  readonly isOwned: ReactOptions['isOwned'];
}

/**
 * The engine that produced each snapshot `react` returned, while it still stands for it (it has
 * not reacted to anything since). Weak: a snapshot nobody holds lets its engine go.
 */
const KEPT = new WeakMap<ApplicationSnapshot, KeptEngine>();

/** Remembers that an engine stands for the snapshot it just returned, for callers owning `isOwned`. */
export function keepEngine(
  snapshot: ApplicationSnapshot,
  engine: LifecycleEngine,
  isOwned: ReactOptions['isOwned'],
): void {
  KEPT.set(snapshot, { engine, isOwned });
}

/**
 * Takes the engine that stands for a snapshot, for a caller owning `isOwned` (the same function, or
 * both defaulted): it will move on, so it no longer stands for the snapshot. Undefined when none does.
 */
export function takeEngine(
  snapshot: ApplicationSnapshot,
  isOwned: ReactOptions['isOwned'],
): LifecycleEngine | undefined {
  const kept = KEPT.get(snapshot);
  KEPT.delete(snapshot);
  return kept !== undefined && kept.isOwned === isOwned ? kept.engine : undefined;
}

/** The engine that stands for a snapshot, left in place (for read-only questions such as imports). */
export function engineOf(snapshot: ApplicationSnapshot): LifecycleEngine | undefined {
  return KEPT.get(snapshot)?.engine;
}
