import { DIAGNOSTIC_CODES, type Diagnostic } from '../errors';
import type { SourcePosition } from '../model.types';
import { DiagnosticCollector } from './diagnostic-collector';
import { MAX_NESTING_DEPTH } from './dsl.constants';
import { indexOutsideQuotes, stripComment, trimPiece, type LinePiece } from './line-scanner';
import type { RawBlock, RawBlockKind, RawModelFile } from './model-file.types';

const INSTANCE_HEADER = /^instance\s+of(?=\s|\{|$)/i;
const FACET_HEADER = /^facet(?=\s|\{|$)/i;
const IMPORT_LINE = /^import(?=\s|$)/i;
const PROPERTY_KEY = /^[A-Za-z0-9_.-]+$/;
const KEYWORD_LENGTH = { component: 0, facet: 'facet'.length } as const;

/** The result of cutting a model file into blocks. */
export interface RawParseResult {
  readonly model: RawModelFile;
  readonly diagnostics: readonly Diagnostic[];
}

/** Names a block for messages: `component 'Tomcat'`, `instance of 'VM'`. */
export function describeBlock(block: Pick<RawBlock, 'kind' | 'name'>): string {
  return block.kind === 'instance'
    ? `instance of '${block.name}'`
    : `${block.kind} '${block.name}'`;
}

/**
 * Cuts Roboconf DSL text (graph or instances) into blocks, one statement per line as Roboconf
 * requires, and keeps going after each error so that every problem is reported with its position.
 */
export function parseModelText(text: string, file: string): RawParseResult {
  const parser = new ModelFileParser(file);
  text.split(/\r\n|\r|\n/).forEach((line, index) => parser.parseLine(line, index + 1));
  parser.closeRemainingBlocks();
  return { model: parser.model, diagnostics: parser.collector.diagnostics };
}

/** Holds the state of one parse: the open blocks (undefined for a block being ignored). */
class ModelFileParser {
  readonly collector = new DiagnosticCollector();
  readonly model: RawModelFile;
  private readonly stack: (RawBlock | undefined)[] = [];
  private line = 0;

  constructor(private readonly file: string) {
    this.model = { file, imports: [], blocks: [] };
  }

  parseLine(raw: string, line: number): void {
    this.line = line;
    const { content, unterminatedQuoteIndex } = stripComment(raw);
    if (unterminatedQuoteIndex !== undefined) {
      this.error(
        'syntax',
        'unterminated quoted value (missing closing ")',
        unterminatedQuoteIndex + 1,
      );
    }
    this.parseStatement(trimPiece({ text: content, column: 1 }));
  }

  closeRemainingBlocks(): void {
    while (this.stack.length > 0) {
      const block = this.stack.pop();
      if (block) {
        this.collector.error(
          DIAGNOSTIC_CODES.unclosedBlock,
          `${describeBlock(block)} is missing its closing '}'`,
          block.position,
        );
      }
    }
  }

  private parseStatement(piece: LinePiece): void {
    const text = piece.text;
    if (text === '') {
      return;
    }
    if (text.startsWith('}')) {
      this.closeBlock(piece);
    } else if (INSTANCE_HEADER.test(text)) {
      this.openBlock('instance', piece, INSTANCE_HEADER.exec(text)?.[0].length ?? 0);
    } else if (this.stack.length === 0 && IMPORT_LINE.test(text)) {
      this.parseImport(piece);
    } else if (isProperty(text)) {
      this.parseProperty(piece);
    } else if (FACET_HEADER.test(text)) {
      this.openBlock('facet', piece, KEYWORD_LENGTH.facet);
    } else if (this.stack.length > 0 && !text.includes('{')) {
      this.error(
        'syntax',
        `expected 'name: value;' in ${this.describeTop()}, found '${text}'`,
        piece.column,
      );
    } else {
      this.openBlock('component', piece, KEYWORD_LENGTH.component);
    }
  }

  private parseImport(piece: LinePiece): void {
    const rest = piece.text.slice('import'.length);
    const semicolon = indexOutsideQuotes(rest, ';');
    const uri = trimPiece({
      text: semicolon < 0 ? rest : rest.slice(0, semicolon),
      column: piece.column + 6,
    });
    if (semicolon < 0) {
      this.error(
        'syntax',
        `import '${uri.text}' must end with ';'`,
        piece.column + piece.text.length,
      );
    } else {
      this.checkNothingAfter(
        rest.slice(semicolon + 1),
        piece.column + 7 + semicolon,
        `import '${uri.text};'`,
      );
    }
    if (uri.text === '') {
      this.error('emptyValue', 'import without a file name', piece.column);
      return;
    }
    this.model.imports.push({ uri: uri.text, position: this.at(uri.column) });
  }

  private parseProperty(piece: LinePiece): void {
    const colon = indexOutsideQuotes(piece.text, ':');
    const key = piece.text.slice(0, colon).trim();
    const rest = piece.text.slice(colon + 1);
    const semicolon = indexOutsideQuotes(rest, ';');
    const value = trimPiece({
      text: semicolon < 0 ? rest : rest.slice(0, semicolon),
      column: piece.column + colon + 1,
    });
    if (this.stack.length === 0) {
      this.error('syntax', `property '${key}' is outside any block`, piece.column);
      return;
    }
    if (!PROPERTY_KEY.test(key)) {
      this.error('syntax', `invalid property name '${key}' in ${this.describeTop()}`, piece.column);
      return;
    }
    if (semicolon < 0) {
      this.error(
        'syntax',
        `property '${key}' of ${this.describeTop()} must end with ';'`,
        piece.column + piece.text.length,
      );
    } else {
      this.checkNothingAfter(
        rest.slice(semicolon + 1),
        piece.column + colon + 2 + semicolon,
        `property '${key}'`,
      );
    }
    this.stack.at(-1)?.properties.push({
      key,
      value: value.text,
      position: this.at(piece.column),
      valuePosition: this.at(value.column),
    });
  }

  private openBlock(kind: RawBlockKind, piece: LinePiece, keywordLength: number): void {
    const rest = piece.text.slice(keywordLength);
    const brace = indexOutsideQuotes(rest, '{');
    const name = trimPiece({
      text: brace < 0 ? rest : rest.slice(0, brace),
      column: piece.column + keywordLength,
    });
    this.closeUnfinishedGraphBlock(kind, name.text);
    const block: RawBlock = {
      kind,
      name: name.text,
      position: this.at(piece.column),
      namePosition: this.at(name.column),
      properties: [],
      blocks: [],
    };
    if (name.text === '') {
      const what = kind === 'instance' ? 'a component name after instance of' : `a ${kind} name`;
      this.error('syntax', `expected ${what} before '{'`, piece.column);
    }
    this.attach(block, piece.column);
    if (brace < 0) {
      this.error(
        'syntax',
        `expected '{' after ${describeBlock(block)}`,
        piece.column + piece.text.length,
      );
      return;
    }
    const after = trimPiece({
      text: rest.slice(brace + 1),
      column: piece.column + keywordLength + brace + 1,
    });
    if (after.text.startsWith('}')) {
      this.parseStatement(after);
    } else if (after.text !== '') {
      this.error(
        'oneStatementPerLine',
        `unexpected '${after.text}' after '{' of ${describeBlock(block)}`,
        after.column,
      );
    }
  }

  /** A graph block cannot hold another block: report the missing '}' and close it. */
  private closeUnfinishedGraphBlock(kind: RawBlockKind, name: string): void {
    const top = this.stack.at(-1);
    if (top && top.kind !== 'instance') {
      const next = describeBlock({ kind, name });
      this.collector.error(
        DIAGNOSTIC_CODES.unclosedBlock,
        `${describeBlock(top)} is missing its closing '}' before ${next} at line ${this.line}`,
        top.position,
      );
      this.stack.pop();
    }
  }

  private attach(block: RawBlock, column: number): void {
    if (this.stack.length === 0) {
      this.model.blocks.push(block);
      this.stack.push(block);
      return;
    }
    const parent = this.stack.at(-1);
    if (this.stack.length >= MAX_NESTING_DEPTH) {
      // Deeper blocks are skipped (braces still counted) so that no later stage recurses too deep.
      if (this.stack.length === MAX_NESTING_DEPTH) {
        this.error(
          'syntax',
          `${describeBlock(block)} is nested more than ${MAX_NESTING_DEPTH} blocks deep`,
          column,
        );
      }
      this.stack.push(undefined);
      return;
    }
    if (block.kind === 'instance' && parent) {
      parent.blocks.push(block);
      this.stack.push(block);
      return;
    }
    if (parent) {
      this.error(
        'syntax',
        `${describeBlock(block)} cannot be declared inside ${describeBlock(parent)}`,
        column,
      );
    }
    this.stack.push(undefined);
  }

  private closeBlock(piece: LinePiece): void {
    if (this.stack.length === 0) {
      this.error('syntax', "unexpected '}': no block is open", piece.column);
    } else {
      this.stack.pop();
    }
    const after = trimPiece({ text: piece.text.slice(1), column: piece.column + 1 });
    if (after.text === '') {
      return;
    }
    this.error(
      'oneStatementPerLine',
      `unexpected '${after.text}' after '}' (one block per line)`,
      after.column,
    );
    if (after.text.includes('{') || INSTANCE_HEADER.test(after.text)) {
      this.parseStatement(after);
    }
  }

  private checkNothingAfter(text: string, column: number, what: string): void {
    const after = trimPiece({ text, column });
    if (after.text !== '') {
      this.error(
        'oneStatementPerLine',
        `unexpected '${after.text}' after ${what} (one statement per line)`,
        after.column,
      );
    }
  }

  private describeTop(): string {
    const top = this.stack.at(-1);
    return top ? describeBlock(top) : 'an ignored block';
  }

  private at(column: number): SourcePosition {
    return { file: this.file, line: this.line, column };
  }

  private error(code: keyof typeof DIAGNOSTIC_CODES, message: string, column: number): void {
    this.collector.error(DIAGNOSTIC_CODES[code], message, this.at(column));
  }
}

function isProperty(text: string): boolean {
  const colon = indexOutsideQuotes(text, ':');
  const brace = indexOutsideQuotes(text, '{');
  return colon >= 0 && (brace < 0 || colon < brace);
}
