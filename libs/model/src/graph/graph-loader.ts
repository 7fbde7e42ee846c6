import { DiagnosticCollector } from '../dsl/diagnostic-collector';
import type { GraphFileDeclarations } from '../dsl/graph-declarations.types';
import { parseGraphText, type GraphParseResult } from '../dsl/graph.parser';
import { readModelFile } from '../dsl/model-file.reader';
import { followImports, type ImportFollowOptions } from '../dsl/import-follower';
import { hasErrors, type Diagnostic } from '../errors';
import type { ResolvedGraph } from '../model.types';
import { ComponentResolver } from './component-resolver';
import { GraphIndex } from './graph-index';
import { GraphValidator } from './graph-validator';

/** Options of {@link loadGraph}. */
export type GraphLoadOptions = ImportFollowOptions;

/** A resolved graph (possibly partial when there are errors) and every diagnostic. */
export interface GraphLoadResult {
  readonly graph: ResolvedGraph;
  readonly files: readonly GraphFileDeclarations[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and parses one graph file; an unreadable file gives a diagnostic, never an exception. */
export function parseGraphFile(path: string, label = path): GraphParseResult {
  const read = readModelFile(path, label);
  if ('diagnostic' in read) {
    return {
      graph: { file: label, imports: [], components: [], facets: [] },
      diagnostics: [read.diagnostic],
    };
  }
  return parseGraphText(read.text, label);
}

/**
 * Resolves the declarations of a set of graph files into a {@link ResolvedGraph}: duplicates and
 * unknown references, `extends` cycles, inheritance, then whole-graph checks.
 */
export function resolveGraph(files: readonly GraphFileDeclarations[]): {
  graph: ResolvedGraph;
  diagnostics: readonly Diagnostic[];
} {
  const collector = new DiagnosticCollector();
  const index = new GraphIndex(files, collector);
  index.reportExtendsCycles();
  index.reportDeepInheritance();
  const components = new ComponentResolver(index).resolveAll();
  new GraphValidator(index, components, collector).validate();
  return {
    graph: { components, facets: [...index.facets.keys()] },
    diagnostics: collector.diagnostics,
  };
}

/**
 * Loads a graph from its entry file, following `import other.graph;` (relative to the importing
 * file, each file once), and resolves it. Whole-graph checks run only when every file parsed.
 */
export function loadGraph(entryFile: string, options: GraphLoadOptions = {}): GraphLoadResult {
  const collector = new DiagnosticCollector();
  const { files, diagnostics } = followImports(entryFile, options, (text, label) => {
    const parsed = parseGraphText(text, label);
    return {
      declarations: parsed.graph,
      imports: parsed.graph.imports,
      diagnostics: parsed.diagnostics,
    };
  });
  collector.addAll(diagnostics);
  const parseFailed = hasErrors(collector.diagnostics);
  const resolved = resolveGraph(files);
  collector.addAll(
    parseFailed
      ? resolved.diagnostics.filter((item) => !isWholeGraphCheck(item))
      : resolved.diagnostics,
  );
  return { graph: resolved.graph, files, diagnostics: collector.diagnostics };
}

/** Whole-graph checks are meaningless when part of the graph could not be read. */
function isWholeGraphCheck(diagnostic: Diagnostic): boolean {
  return ['UNRESOLVED_IMPORT', 'UNREACHABLE_COMPONENT', 'MISSING_INSTALLER'].includes(
    diagnostic.code,
  );
}
