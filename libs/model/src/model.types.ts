/**
 * The application model shared by the DM and the agents: a resolved graph of components and facets
 * (inheritance applied) plus a tree of instances. The DSL parsers produce these types; the lifecycle
 * and import resolution consume them. Everything here is plain data (serialisable as JSON).
 */

/** A place in a model file, 1-based, as printed in `file:line:column` errors. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A variable a component or facet exports, by its qualified name (`Db.port`). */
export interface ExportedVariable {
  /** Qualified name: the component or facet that declares it, a dot, the variable (`Db.port`). */
  readonly name: string;
  /** Default value from the graph; undefined when the instance must give one. */
  readonly defaultValue?: string;
  /** `random[port]`: the agent picks a free port per instance. */
  readonly random?: 'port';
  readonly position?: SourcePosition;
}

/** A variable (or `Prefix.*`) a component imports from another component or facet. */
export interface ImportedVariable {
  /** As written: `Db.port`, `Db.*`, or for an external import `App.var`. */
  readonly name: string;
  /** The component or facet (or, when external, the application template) the variable comes from. */
  readonly prefix: string;
  /** The variable's short name, or `*` for every variable the prefix exports. */
  readonly variable: string;
  readonly optional: boolean;
  /** `(external)`: resolved against another application bound to this one. */
  readonly external: boolean;
  readonly position?: SourcePosition;
}

/** A component with inheritance (`extends`, facets) already applied. */
export interface ResolvedComponent {
  readonly name: string;
  /** `target` marks a root (a host); `script` (or `bash`) runs shell recipes; others are valid but unsupported by agents. */
  readonly installer: string;
  /** This component, then its super components, nearest first. */
  readonly ancestry: readonly string[];
  /** Every facet this component has, directly, through its super components or through facet inheritance. */
  readonly facets: readonly string[];
  /** Own and inherited exports, qualified by the declaring component or facet. */
  readonly exports: readonly ExportedVariable[];
  /** Own and inherited imports. */
  readonly imports: readonly ImportedVariable[];
  /** Names of the components whose instances may be children of this component's instances. */
  readonly children: readonly string[];
  /** True when instances of this component are root instances (hosts): installer `target`. */
  readonly isRoot: boolean;
  readonly position?: SourcePosition;
}

/** The resolved graph: every component by name, and every facet name. */
export interface ResolvedGraph {
  readonly components: Readonly<Record<string, ResolvedComponent>>;
  readonly facets: readonly string[];
}

/** One instance in the instance tree, with its path (`/vm1/tomcat/app`). */
export interface InstanceDefinition {
  readonly name: string;
  readonly component: string;
  /** `/` then each ancestor's name, then this name, joined with `/`. */
  readonly path: string;
  readonly parentPath?: string;
  /** Exported values the instance file overrides, by qualified or short variable name as written. */
  readonly overriddenExports: Readonly<Record<string, string>>;
  /** Any other property written in the instance block (Roboconf warns about unknown ones). */
  readonly properties: Readonly<Record<string, string>>;
  readonly position?: SourcePosition;
}

/** A loaded, valid application template. */
export interface ApplicationTemplate {
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  readonly graph: ResolvedGraph;
  /** Every instance of the template's instances file, parents before children. */
  readonly instances: readonly InstanceDefinition[];
}
