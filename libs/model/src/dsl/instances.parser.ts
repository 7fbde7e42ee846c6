import { DIAGNOSTIC_CODES, sortDiagnostics, type Diagnostic } from '../errors';
import type { SourcePosition } from '../model.types';
import { DiagnosticCollector } from './diagnostic-collector';
import { MAX_INSTANCE_COUNT } from './dsl.constants';
import type {
  InstanceDeclaration,
  InstanceProperty,
  InstancesFileDeclarations,
} from './instance-declarations.types';
import { unquote } from './line-scanner';
import { describeBlock, parseModelText } from './model-file.parser';
import type { RawBlock } from './model-file.types';

/** The declarations of one instances file and every problem found in it. */
export interface InstancesParseResult {
  readonly instances: InstancesFileDeclarations;
  readonly diagnostics: readonly Diagnostic[];
}

const COUNT_PATTERN = /^[0-9]+$/;

/** Parses the text of a Roboconf instances file: nested `instance of` blocks and imports. */
export function parseInstancesText(text: string, file: string): InstancesParseResult {
  const raw = parseModelText(text, file);
  const collector = new DiagnosticCollector();
  collector.addAll(raw.diagnostics);
  const instances: InstanceDeclaration[] = [];
  for (const block of raw.model.blocks) {
    if (block.kind === 'instance') {
      instances.push(readInstance(block, collector));
    } else {
      collector.error(
        DIAGNOSTIC_CODES.mixedFileType,
        `${describeBlock(block)} in an instances file: graph and instances cannot be mixed in one file`,
        block.position,
      );
    }
  }
  return {
    instances: { file, imports: raw.model.imports, instances },
    diagnostics: sortDiagnostics(collector.diagnostics),
  };
}

function readInstance(block: RawBlock, collector: DiagnosticCollector): InstanceDeclaration {
  const owner = describeBlock(block);
  const seen = new Map<string, SourcePosition>();
  const properties: InstanceProperty[] = [];
  let name: string | undefined;
  let count = 1;
  for (const property of block.properties) {
    const first = seen.get(property.key);
    if (first) {
      collector.error(
        DIAGNOSTIC_CODES.duplicateProperty,
        `property '${property.key}' is set twice in ${owner} (first at line ${first.line})`,
        property.position,
      );
      continue;
    }
    seen.set(property.key, property.position);
    const value = unquote(property.value);
    if (property.key === 'name') {
      name = value;
    } else if (property.key === 'count') {
      count = readCount(value, owner, property.valuePosition, collector);
    } else {
      properties.push({ key: property.key, value, position: property.position });
    }
  }
  return {
    component: block.name,
    componentPosition: block.namePosition,
    position: block.position,
    ...(name !== undefined ? { name } : {}),
    count,
    properties,
    children: block.blocks.map((child) => readInstance(child, collector)),
  };
}

function readCount(
  value: string,
  owner: string,
  position: SourcePosition,
  collector: DiagnosticCollector,
): number {
  const count = COUNT_PATTERN.test(value) ? Number(value) : Number.NaN;
  if (count >= 1 && count <= MAX_INSTANCE_COUNT) {
    return count;
  }
  collector.error(
    DIAGNOSTIC_CODES.invalidCount,
    `count '${value}' of ${owner} must be a whole number from 1 to ${MAX_INSTANCE_COUNT}`,
    position,
  );
  return 1;
}
