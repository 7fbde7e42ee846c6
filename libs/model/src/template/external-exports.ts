import type { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { DIAGNOSTIC_CODES } from '../errors';
import type { ResolvedGraph } from '../model.types';
import type { PropertyEntry } from './properties.parser';

const EXPORT_ITEM = /^(\S+)(?:\s+as\s+(\S+))?$/i;

/**
 * Reads a descriptor's `exports` (`HAProxy.ip as lb-ip, HAProxy.httpPort`): the variables other
 * applications import as `<exports-prefix>.<alias>`. Returns alias → qualified variable; reports
 * malformed items, variables no component exports, and exports without an `exports-prefix`.
 */
export function readExternalExports(
  entry: PropertyEntry | undefined,
  exportsPrefix: string | undefined,
  graph: ResolvedGraph,
  collector: DiagnosticCollector,
): Record<string, string> {
  const result = Object.create(null) as Record<string, string>;
  if (!entry) {
    return result;
  }
  const where = entry.position;
  if (exportsPrefix === undefined) {
    collector.error(
      DIAGNOSTIC_CODES.invalidDescriptor,
      `${where.file}: 'exports' needs an 'exports-prefix'`,
      where,
    );
  }
  const exported = new Set(
    Object.values(graph.components).flatMap((item) =>
      item.exports.map((variable) => variable.name),
    ),
  );
  for (const item of entry.value.split(',').map((part) => part.trim())) {
    const pair = readItem(item, exported, entry, collector);
    if (pair) {
      result[pair[0]] = pair[1];
    }
  }
  return result;
}

/** One `Comp.var [as alias]` item as [alias, variable], or undefined after reporting it. */
function readItem(
  item: string,
  exported: ReadonlySet<string>,
  entry: PropertyEntry,
  collector: DiagnosticCollector,
): [string, string] | undefined {
  const match = EXPORT_ITEM.exec(item);
  if (!match || !match[1].includes('.')) {
    const message = `invalid export '${item}': write Component.variable [as alias]`;
    collector.error(DIAGNOSTIC_CODES.invalidDescriptor, message, entry.position);
    return undefined;
  }
  const [, variable, alias = variable.slice(variable.indexOf('.') + 1)] = match;
  if (!exported.has(variable)) {
    const message = `the descriptor exports ${variable}, but no component exports it`;
    collector.error(DIAGNOSTIC_CODES.invalidDescriptor, message, entry.position);
    return undefined;
  }
  return [alias, variable];
}
