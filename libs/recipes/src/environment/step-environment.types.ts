/** One instance an importing instance receives variables from, as Roboconf's `Import`. */
export interface ResolvedImportInstance {
  /** The exporting instance's path (`/vm1/db`), given to recipes as `<Component>_<i>_name`. */
  readonly instancePath: string;
  /** Exported variables by qualified (`Db.port`) or short (`port`) name. */
  readonly variables: Readonly<Record<string, string>>;
}

/** An ancestor of the instance and what it exports, nearest (the parent) first. */
export interface AncestorExports {
  readonly component: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** The import change that triggers `update.sh`: which instance, of which component, now in which state. */
export interface ImportChange {
  /** The changed instance's state, given as `ROBOCONF_UPDATE_STATUS` (`DEPLOYED_STARTED`, `DEPLOYED_STOPPED`). */
  readonly status: string;
  readonly instancePath: string;
  readonly component: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** Everything a step's environment is built from: plain data, no model objects. */
export interface StepEnvironmentInput {
  readonly instanceName: string;
  readonly instancePath: string;
  readonly component: string;
  readonly application: string;
  /** The instance's own exports (qualified or short names) with their values. */
  readonly exports: Readonly<Record<string, string>>;
  /** Resolved imports grouped by the imported component or facet prefix, in a stable order. */
  readonly imports: Readonly<Record<string, readonly ResolvedImportInstance[]>>;
  readonly ancestors: readonly AncestorExports[];
  /** Only for `update.sh`. */
  readonly importChange?: ImportChange;
  /** `<instance dir>/files`: the component's `files/` from its bundle. */
  readonly filesDir: string;
  /** The agent's name, as `FLOTILLA_AGENT_NAME`. */
  readonly agentName: string;
  /** Absolute path of the `flotilla-fw` helper; its directory is put first on PATH. */
  readonly firewallHelperPath?: string;
  /** The per-step firewall socket the helper talks to. */
  readonly firewallSocketPath?: string;
  /** The agent's own environment, from which only allowlisted variables pass. */
  readonly inherited: Readonly<Record<string, string | undefined>>;
  /** Overrides HOME (the recipe user's home when the step drops root). */
  readonly home?: string;
}
