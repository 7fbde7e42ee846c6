/** Values by instance path, as a snapshot holds them. */
type PathRecord<T> = Readonly<Record<string, T>>;

/** The values as they stood when one snapshot was taken, kept as the changes made since. */
class RecordVersion<T> {
  /** What each path changed after this version held then (undefined: absent), until the next version. */
  readonly undo = new Map<string, T | undefined>();
  next: RecordVersion<T> | undefined;
  materialized: PathRecord<T> | undefined;
}

/**
 * Per-path values (runtimes, exports) of the snapshots an engine returned, without copying the
 * whole application for each: a snapshot's record is built when first read, from the live map and
 * the changes made since it was taken (each version keeps the values its paths had before their
 * first change). A snapshot nobody reads costs only its changes; one that is read costs one copy,
 * once.
 */
export class RecordHistory<T> {
  private head: RecordVersion<T> | undefined;

  constructor(private readonly live: ReadonlyMap<string, T>) {}

  /** Must be told before a path's value changes in the live map. */
  willChange(path: string): void {
    const head = this.head;
    if (head !== undefined && head.materialized === undefined && !head.undo.has(path)) {
      head.undo.set(path, this.live.get(path));
    }
  }

  /** A new version standing for the live map now; the function builds its record (once). */
  take(): () => PathRecord<T> {
    const version = new RecordVersion<T>();
    if (this.head !== undefined && this.head.materialized === undefined) {
      this.head.next = version;
    }
    this.head = version;
    return () => this.materialize(version);
  }

  private materialize(version: RecordVersion<T>): PathRecord<T> {
    if (version.materialized !== undefined) {
      return version.materialized;
    }
    // From the newest version already built (or the live runtime), undo back to this one.
    const chain: Array<RecordVersion<T>> = [];
    let newer: RecordVersion<T> | undefined = version;
    while (newer !== undefined && newer.materialized === undefined) {
      chain.push(newer);
      newer = newer.next;
    }
    const values: Record<string, T> =
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
