import { importMatches, type ResolvedGraph } from '@flotilla/model';

/** An instance as the tree picture needs it. */
export interface TreeInstance {
  readonly path: string;
  readonly name: string;
  readonly component: string;
  readonly parentPath: string | null;
  readonly actualState: string;
}

/** An import link: `importer` imports variables that `exporter` exports. */
export interface ImportLink {
  readonly importer: string;
  readonly exporter: string;
}

/**
 * The import/export links between the instances of one application: an instance importing
 * `Db.port` (or `Db.*`) is linked to every other instance whose component exports a matching
 * variable. External imports (from other applications) are not drawn.
 */
export function importLinksOf(
  graph: ResolvedGraph,
  instances: readonly TreeInstance[],
): ImportLink[] {
  const links: ImportLink[] = [];
  for (const importer of instances) {
    const imports = (graph.components[importer.component]?.imports ?? []).filter(
      (entry) => !entry.external,
    );
    for (const exporter of instances) {
      const exported = graph.components[exporter.component]?.exports ?? [];
      const isLinked =
        exporter.path !== importer.path &&
        imports.some((entry) => exported.some((variable) => importMatches(entry, variable.name)));
      if (isLinked) {
        links.push({ importer: importer.path, exporter: exporter.path });
      }
    }
  }
  return links;
}
