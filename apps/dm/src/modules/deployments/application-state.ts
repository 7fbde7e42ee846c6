import type {
  ApplicationSnapshot,
  ApplicationTemplate,
  InstanceDefinition,
  StepFailure,
} from '@flotilla/model';

/** One instance row as the reconciler needs it: identity, placement and the agent of its root. */
export interface InstanceRecord {
  readonly id: string;
  readonly path: string;
  readonly component: string;
  readonly parentId: string | null;
  readonly agentName: string | null;
}

/** An application loaded for the reconciler: its rows, its template and its lifecycle snapshot. */
export interface ApplicationState {
  readonly id: string;
  readonly name: string;
  readonly templateId: string;
  readonly template: Pick<ApplicationTemplate, 'name' | 'version'>;
  readonly instances: readonly InstanceRecord[];
  readonly snapshot: ApplicationSnapshot;
  /**
   * Per instance path, what its row held when loaded (`rowFingerprint`): `save` writes only the
   * rows whose values differ. Absent on a state not loaded from the database: every row is written.
   */
  readonly persisted?: ReadonlyMap<string, PersistedRow>;
}

/** What an instance row holds, as the reconciler last loaded or wrote it. */
export interface PersistedRow {
  /** `rowFingerprint` of the row's values. */
  readonly fingerprint: string;
  /**
   * The snapshot's runtime and exports objects the fingerprint was taken of, when known: the
   * lifecycle engine replaces an instance's objects when they change, so the same objects need no
   * new fingerprint.
   */
  readonly runtime?: object;
  readonly exports?: object;
}

/** A stable serialization (keys sorted at every level) of the values an instance row stores. */
export function rowFingerprint(values: {
  readonly actualState: string;
  readonly desiredState: string;
  readonly exports: Readonly<Record<string, string>>;
  readonly failure: unknown;
  readonly previousStableState: string | null;
}): string {
  return JSON.stringify(sortedKeys(values));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortedKeys);
  }
  if (value === null || typeof value !== 'object') {
    return value ?? null;
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => [key, sortedKeys(entry)]),
  );
}

/** Per instance list, its records by path (built on first use; lists are never modified). */
const BY_PATH = new WeakMap<readonly InstanceRecord[], ReadonlyMap<string, InstanceRecord>>();

/** The record of the instance at `path`, if the application has one. */
export function instanceAt(state: ApplicationState, path: string): InstanceRecord | undefined {
  let byPath = BY_PATH.get(state.instances);
  if (byPath === undefined) {
    byPath = new Map(state.instances.map((record) => [record.path, record]));
    BY_PATH.set(state.instances, byPath);
  }
  return byPath.get(path);
}

/** The path of the root instance (`/vm`) of an instance path (`/vm/app/war`). */
export function rootPathOf(path: string): string {
  return `/${path.split('/')[1] ?? ''}`;
}

/** The failure the lifecycle keeps, as stored on the instance row. */
export type StoredFailure = StepFailure;

/** The definition of an instance added at runtime (not in the template): no overrides. */
export function definitionOf(
  record: InstanceRecord,
  fromTemplate: ReadonlyMap<string, InstanceDefinition>,
): InstanceDefinition {
  const known = fromTemplate.get(record.path);
  if (known !== undefined) {
    return known;
  }
  const segments = record.path.split('/');
  const parentPath = segments.length > 2 ? segments.slice(0, -1).join('/') : undefined;
  return {
    name: segments[segments.length - 1] ?? record.path,
    component: record.component,
    path: record.path,
    ...(parentPath === undefined ? {} : { parentPath }),
    overriddenExports: {},
    properties: {},
  };
}
