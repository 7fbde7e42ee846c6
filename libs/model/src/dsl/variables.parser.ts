import { DIAGNOSTIC_CODES } from '../errors';
import type { ImportedVariable, SourcePosition } from '../model.types';
import type { DiagnosticCollector } from './diagnostic-collector';
import { TYPE_NAME_PATTERN, VARIABLE_NAME_PATTERN, WILDCARD_VARIABLE } from './dsl.constants';
import type { ExportDeclaration } from './graph-declarations.types';
import { indexOutsideQuotes, splitList, trimPiece, unquote, type LinePiece } from './line-scanner';

const RANDOM_PREFIX = /^random\[([^\]]*)\]\s*/i;
const EXTERNAL_PREFIX = /^external\s+/i;
const FLAG_SUFFIX = /\s*\((optional|external)\)$/i;

/** Where a list value starts, and how to place its items. */
export interface ListContext {
  readonly owner: string;
  readonly value: LinePiece;
  readonly at: (column: number) => SourcePosition;
  readonly collector: DiagnosticCollector;
}

/** Parses each non-empty item of a list value, reporting empty items. */
function parseItems<T>(
  context: ListContext,
  what: string,
  parseItem: (item: LinePiece, position: SourcePosition) => T | undefined,
): T[] {
  const result: T[] = [];
  for (const item of splitList(context.value)) {
    const position = context.at(item.column);
    const parsed =
      item.text === ''
        ? context.collector.error(
            DIAGNOSTIC_CODES.emptyValue,
            `empty item in the ${what} of ${context.owner}`,
            position,
          )
        : parseItem(item, position);
    if (parsed) {
      result.push(parsed);
    }
  }
  return result;
}

/** Parses an `exports` value: `ip, port = 8080, random[port] http, key = "quoted; value"`. */
export function parseExports(context: ListContext): ExportDeclaration[] {
  return parseItems(context, 'exports', (item, position) =>
    parseExportItem(item.text, position, context),
  );
}

function parseExportItem(
  text: string,
  position: SourcePosition,
  context: ListContext,
): ExportDeclaration | undefined {
  const random = RANDOM_PREFIX.exec(text);
  const rest = random ? text.slice(random[0].length) : text;
  const equals = indexOutsideQuotes(rest, '=');
  const name = (equals < 0 ? rest : rest.slice(0, equals)).trim();
  const value = equals < 0 ? undefined : unquote(rest.slice(equals + 1).trim());
  const { collector, owner } = context;
  if (!VARIABLE_NAME_PATTERN.test(name)) {
    collector.error(
      DIAGNOSTIC_CODES.invalidVariable,
      `invalid exported variable name '${name}' in ${owner}`,
      position,
    );
    return undefined;
  }
  if (random && random[1].toLowerCase() !== 'port') {
    collector.error(
      DIAGNOSTIC_CODES.invalidRandom,
      `exported variable '${name}' of ${owner}: random[${random[1]}] is unknown, only random[port] exists`,
      position,
    );
    return undefined;
  }
  return {
    name,
    position,
    ...(value !== undefined ? { defaultValue: value } : {}),
    ...(random ? { random: 'port' } : {}),
  };
}

/** Parses an `imports` value: `Db.ip, Db.* (optional), external App.url`. */
export function parseImports(context: ListContext): ImportedVariable[] {
  return parseItems(context, 'imports', (item, position) =>
    parseImportItem(item, position, context),
  );
}

function parseImportItem(
  item: LinePiece,
  position: SourcePosition,
  context: ListContext,
): ImportedVariable | undefined {
  let text = item.text;
  let external = EXTERNAL_PREFIX.test(text);
  let optional = false;
  text = text.replace(EXTERNAL_PREFIX, '');
  for (let flag = FLAG_SUFFIX.exec(text); flag; flag = FLAG_SUFFIX.exec(text)) {
    optional ||= flag[1].toLowerCase() === 'optional';
    external ||= flag[1].toLowerCase() === 'external';
    text = text.slice(0, flag.index);
  }
  const name = trimPiece({ text, column: item.column }).text;
  const dot = name.indexOf('.');
  const prefix = dot < 0 ? '' : name.slice(0, dot);
  const variable = dot < 0 ? name : name.slice(dot + 1);
  const validVariable = variable === WILDCARD_VARIABLE || VARIABLE_NAME_PATTERN.test(variable);
  if ((dot >= 0 && !TYPE_NAME_PATTERN.test(prefix)) || !validVariable) {
    context.collector.error(
      DIAGNOSTIC_CODES.invalidVariable,
      `invalid imported variable '${name}' in ${context.owner}`,
      position,
    );
    return undefined;
  }
  return { name, prefix, variable, optional, external, position };
}
