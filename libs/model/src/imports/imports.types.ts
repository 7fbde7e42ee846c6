/**
 * Plain data of import resolution: what each instance exports, what each instance receives from
 * the started instances it imports from, and how that changed (for `update.sh`).
 */

/** The values an instance exports, by qualified variable name (`Db.port`). */
export interface InstanceExports {
  readonly instancePath: string;
  readonly component: string;
  readonly values: Readonly<Record<string, string>>;
  /** Qualified names of exported variables that have no value yet (no default, no override, not supplied). */
  readonly missing: readonly string[];
}

/** Values only the agent knows: its IP address and the ports it picked for `random[port]` exports. */
export interface ExportRuntimeValues {
  readonly ip?: string;
  /** By qualified (`Web.port`) or short (`port`) variable name. */
  readonly randomPorts?: Readonly<Record<string, number>>;
}

/** The exports of one started instance of another application bound to this one. */
export interface ExternalExport {
  /** The bound application's name. */
  readonly application: string;
  /** The exporting template's exports prefix (`Lamp` in `external Lamp.lb_ip`). */
  readonly prefix: string;
  readonly instancePath: string;
  /** By name qualified with the prefix (`Lamp.lb_ip`). */
  readonly values: Readonly<Record<string, string>>;
}

/** The variables one exporting instance gives one importer under one prefix. */
export interface ResolvedImport {
  /** The exporter's path; for an external import, `<application>:<path>`. */
  readonly exporterPath: string;
  /** The exporter's component; for an external import, the exports prefix. */
  readonly component: string;
  readonly prefix: string;
  readonly external: boolean;
  /** Only the variables the importer declared (all of the prefix's for `Prefix.*`), by `Prefix.var`. */
  readonly variables: Readonly<Record<string, string>>;
}

/** Every import of one instance, by prefix, and whether the instance may start. */
export interface InstanceImports {
  readonly instancePath: string;
  /** Per imported prefix, one entry per started exporter, sorted by exporter path. */
  readonly byPrefix: Readonly<Record<string, readonly ResolvedImport[]>>;
  /** True when every prefix imported without `(optional)` has at least one started exporter. */
  readonly isComplete: boolean;
  readonly missingPrefixes: readonly string[];
}

/** The imports of every instance of an application, by instance path. */
export type ImportResolution = Readonly<Record<string, InstanceImports>>;

/** What a change of imports means to `update.sh` (`ROBOCONF_UPDATE_STATUS`). */
export type ImportChangeKind = 'added' | 'removed' | 'changed';

/** One exporter appearing, disappearing or changing values for one importer. */
export interface ImportChange {
  readonly kind: ImportChangeKind;
  /** `ROBOCONF_IMPORT_CHANGED_INSTANCE_PATH`. */
  readonly exporterPath: string;
  /** `ROBOCONF_IMPORT_CHANGED_COMPONENT`. */
  readonly component: string;
  /** `ROBOCONF_UPDATE_STATUS`: the exporter's status as Roboconf names it. */
  readonly updateStatus: 'DEPLOYED_STARTED' | 'DEPLOYED_STOPPED';
  readonly prefixes: readonly string[];
  /** The exporter's variables now (`added`, `changed`) or as they were (`removed`). */
  readonly variables: Readonly<Record<string, string>>;
  /** Names of the variables that appeared, disappeared or changed value. */
  readonly changedVariables: readonly string[];
}

/** The import changes of one importer. */
export interface InstanceImportChanges {
  readonly instancePath: string;
  readonly changes: readonly ImportChange[];
}

/** One ancestor's exports, as a child's recipes see them. */
export interface AncestorExports {
  readonly instancePath: string;
  readonly component: string;
  /** By short variable name (`port`). */
  readonly values: Readonly<Record<string, string>>;
}
