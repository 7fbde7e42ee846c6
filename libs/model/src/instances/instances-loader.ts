import { DiagnosticCollector } from '../dsl/diagnostic-collector';
import type { InstanceDeclaration } from '../dsl/instance-declarations.types';
import { parseInstancesText } from '../dsl/instances.parser';
import { followImports, type ImportFollowOptions } from '../dsl/import-follower';
import type { Diagnostic } from '../errors';
import type { InstanceDefinition, ResolvedGraph } from '../model.types';
import { InstanceTreeBuilder } from './instance-tree-builder';

/** Options of {@link loadInstances}. */
export interface InstancesLoadOptions extends ImportFollowOptions {
  /** The graph to check instances against; without it only the files' own content is checked. */
  readonly graph?: ResolvedGraph;
}

/** The instance tree (parents before children) and every diagnostic. */
export interface InstancesLoadResult {
  readonly instances: readonly InstanceDefinition[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Builds the instance tree from declarations already parsed, checking them against a graph. */
export function buildInstances(
  declarations: readonly InstanceDeclaration[],
  graph?: ResolvedGraph,
): InstancesLoadResult {
  const collector = new DiagnosticCollector();
  const instances = new InstanceTreeBuilder(graph, collector).build(declarations);
  return { instances, diagnostics: collector.diagnostics };
}

/**
 * Loads an instances file, following `import other.instances;` (relative to the importing file,
 * each file once), expands `count` and checks every instance against the graph when given.
 */
export function loadInstances(
  entryFile: string,
  options: InstancesLoadOptions = {},
): InstancesLoadResult {
  const { files, diagnostics } = followImports(entryFile, options, (text, label) => {
    const parsed = parseInstancesText(text, label);
    return {
      declarations: parsed.instances.instances,
      imports: parsed.instances.imports,
      diagnostics: parsed.diagnostics,
    };
  });
  const built = buildInstances(files.flat(), options.graph);
  return { instances: built.instances, diagnostics: [...diagnostics, ...built.diagnostics] };
}
