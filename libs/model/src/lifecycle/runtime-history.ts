import type { InstanceRuntimeState } from './lifecycle.types';

/** Instance lifecycles by path, as a snapshot holds them. */
type RuntimeRecord = Readonly<Record<string, InstanceRuntimeState>>;

/** The runtime as it stood when one snapshot was taken, kept as the changes made since. */
class RuntimeVersion {
  /** What each path changed after this version held then (undefined: absent), until the next version. */
  readonly undo = new Map<string, InstanceRuntimeState | undefined>();
  next: RuntimeVersion | undefined;
  materialized: RuntimeRecord | undefined;
}

/**
 * The runtimes of the snapshots an engine returned, without copying the whole application for each:
 * a snapshot's runtime is built when first read, from the live runtime and the changes made since it
 * was taken (each version keeps the values its paths had before their first change). A snapshot
 * nobody reads costs only its changes; one that is read costs one copy, once.
 */
export class RuntimeHistory {
  private head: RuntimeVersion | undefined;

  constructor(private readonly live: ReadonlyMap<string, InstanceRuntimeState>) {}

  /** Must be told before a path's lifecycle changes in the live runtime. */
  willChange(path: string): void {
    const head = this.head;
    if (head !== undefined && head.materialized === undefined && !head.undo.has(path)) {
      head.undo.set(path, this.live.get(path));
    }
  }

  /** A new version standing for the live runtime now; the function builds its record (once). */
  take(): () => RuntimeRecord {
    const version = new RuntimeVersion();
    if (this.head !== undefined && this.head.materialized === undefined) {
      this.head.next = version;
    }
    this.head = version;
    return () => this.materialize(version);
  }

  private materialize(version: RuntimeVersion): RuntimeRecord {
    if (version.materialized !== undefined) {
      return version.materialized;
    }
    // From the newest version already built (or the live runtime), undo back to this one.
    const chain: RuntimeVersion[] = [];
    let newer: RuntimeVersion | undefined = version;
    while (newer !== undefined && newer.materialized === undefined) {
      chain.push(newer);
      newer = newer.next;
    }
    const values: Record<string, InstanceRuntimeState> =
      newer?.materialized === undefined ? Object.fromEntries(this.live) : { ...newer.materialized };
    for (const older of chain.reverse()) {
      for (const [path, value] of older.undo) {
        if (value === undefined) {
          delete values[path];
        } else {
          values[path] = value;
        }
      }
    }
    version.materialized = values;
    version.undo.clear();
    version.next = undefined;
    return values;
  }
}
