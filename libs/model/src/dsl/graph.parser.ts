import { DIAGNOSTIC_CODES, sortDiagnostics, type Diagnostic } from '../errors';
import type { ImportedVariable, SourcePosition } from '../model.types';
import { DiagnosticCollector } from './diagnostic-collector';
import {
  COMPONENT_PROPERTIES,
  FACET_PROPERTIES,
  INSTALLER_NAME_PATTERN,
  REPEATABLE_PROPERTIES,
  TYPE_NAME_PATTERN,
} from './dsl.constants';
import type {
  ComponentDeclaration,
  ExportDeclaration,
  FacetDeclaration,
  GraphFileDeclarations,
  NameReference,
} from './graph-declarations.types';
import { splitList } from './line-scanner';
import { describeBlock, parseModelText } from './model-file.parser';
import type { RawBlock, RawProperty } from './model-file.types';
import { parseExports, parseImports, type ListContext } from './variables.parser';

/** The declarations of one graph file and every problem found in it. */
export interface GraphParseResult {
  readonly graph: GraphFileDeclarations;
  readonly diagnostics: readonly Diagnostic[];
}

/** The properties of one block, sorted by meaning. */
interface BlockContent {
  installer?: NameReference;
  extends: NameReference[];
  facets: NameReference[];
  children: NameReference[];
  exports: ExportDeclaration[];
  imports: ImportedVariable[];
}

/**
 * Parses the text of a Roboconf graph file (components, facets, `import x.graph;`) and checks each
 * block on its own: known properties, names, installers, exported and imported variables.
 */
export function parseGraphText(text: string, file: string): GraphParseResult {
  const raw = parseModelText(text, file);
  const collector = new DiagnosticCollector();
  collector.addAll(raw.diagnostics);
  const components: ComponentDeclaration[] = [];
  const facets: FacetDeclaration[] = [];
  for (const block of raw.model.blocks) {
    if (block.kind === 'instance') {
      collector.error(
        DIAGNOSTIC_CODES.mixedFileType,
        `${describeBlock(block)} in a graph file: graph and instances cannot be mixed in one file`,
        block.position,
      );
      continue;
    }
    const content = readBlock(block, collector);
    const base = {
      name: block.name,
      position: block.namePosition,
      children: content.children,
      exports: content.exports,
    };
    if (block.kind === 'facet') {
      facets.push({ kind: 'facet', ...base, extends: content.extends });
    } else {
      components.push({
        kind: 'component',
        ...base,
        facets: content.facets,
        imports: content.imports,
        ...(content.installer ? { installer: content.installer } : {}),
        ...(content.extends[0] ? { extends: content.extends[0] } : {}),
      });
    }
  }
  return {
    graph: { file, imports: raw.model.imports, components, facets },
    diagnostics: sortDiagnostics(collector.diagnostics),
  };
}

function readBlock(block: RawBlock, collector: DiagnosticCollector): BlockContent {
  const owner = describeBlock(block);
  if (block.name !== '' && !TYPE_NAME_PATTERN.test(block.name)) {
    collector.error(
      DIAGNOSTIC_CODES.invalidName,
      `invalid ${block.kind} name '${block.name}'`,
      block.namePosition,
    );
  }
  const allowed = block.kind === 'facet' ? FACET_PROPERTIES : COMPONENT_PROPERTIES;
  const content: BlockContent = { extends: [], facets: [], children: [], exports: [], imports: [] };
  const seen = new Map<string, SourcePosition>();
  for (const property of block.properties) {
    const key = property.key.toLowerCase();
    if (isUsableProperty(key, property, { owner, allowed, seen, collector })) {
      readProperty(key, property, { block, owner, collector, content });
    }
  }
  return content;
}

interface KeyContext {
  readonly owner: string;
  readonly allowed: readonly string[];
  readonly seen: Map<string, SourcePosition>;
  readonly collector: DiagnosticCollector;
}

/** Reports an unknown, repeated or empty property; true when the property can be read. */
function isUsableProperty(key: string, property: RawProperty, context: KeyContext): boolean {
  const { owner, allowed, seen, collector } = context;
  if (!allowed.includes(key)) {
    const expected = allowed.join(', ');
    collector.error(
      DIAGNOSTIC_CODES.unknownProperty,
      `unknown property '${property.key}' in ${owner} (expected one of ${expected})`,
      property.position,
    );
    return false;
  }
  const first = seen.get(key);
  if (first && !REPEATABLE_PROPERTIES.includes(key)) {
    collector.error(
      DIAGNOSTIC_CODES.duplicateProperty,
      `property '${key}' is set twice in ${owner} (first at line ${first.line})`,
      property.position,
    );
    return false;
  }
  seen.set(key, property.position);
  if (property.value === '') {
    collector.error(
      DIAGNOSTIC_CODES.emptyValue,
      `property '${key}' of ${owner} has no value`,
      property.position,
    );
    return false;
  }
  return true;
}

interface PropertyContext {
  readonly block: RawBlock;
  readonly owner: string;
  readonly collector: DiagnosticCollector;
  readonly content: BlockContent;
}

function readProperty(key: string, property: RawProperty, context: PropertyContext): void {
  const { content, owner, collector } = context;
  const at = (column: number): SourcePosition => ({ ...property.valuePosition, column });
  const list: ListContext = {
    owner,
    collector,
    at,
    value: { text: property.value, column: property.valuePosition.column },
  };
  switch (key) {
    case 'installer':
      readInstaller(property, context);
      return;
    case 'exports':
      content.exports.push(...parseExports(list));
      return;
    case 'imports':
      content.imports.push(...parseImports(list));
      return;
    case 'extends':
      readNames(key, list, content.extends);
      if (context.block.kind === 'component' && content.extends.length > 1) {
        collector.error(
          DIAGNOSTIC_CODES.syntax,
          `${owner} can extend only one component`,
          property.valuePosition,
        );
      }
      return;
    case 'facets':
    case 'children':
      readNames(key, list, content[key]);
      return;
  }
}

function readInstaller(property: RawProperty, context: PropertyContext): void {
  if (INSTALLER_NAME_PATTERN.test(property.value)) {
    context.content.installer = { name: property.value, position: property.valuePosition };
  } else {
    context.collector.error(
      DIAGNOSTIC_CODES.invalidInstaller,
      `invalid installer name '${property.value}' in ${context.owner}`,
      property.valuePosition,
    );
  }
}

function readNames(key: string, list: ListContext, into: NameReference[]): void {
  for (const item of splitList(list.value)) {
    const position = list.at(item.column);
    if (item.text === '') {
      list.collector.error(
        DIAGNOSTIC_CODES.emptyValue,
        `empty name in the ${key} of ${list.owner}`,
        position,
      );
    } else if (!TYPE_NAME_PATTERN.test(item.text)) {
      list.collector.error(
        DIAGNOSTIC_CODES.invalidName,
        `invalid name '${item.text}' in the ${key} of ${list.owner}`,
        position,
      );
    } else {
      into.push({ name: item.text, position });
    }
  }
}
