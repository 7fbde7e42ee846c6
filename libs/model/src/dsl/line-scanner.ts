/** A piece of a line with the 1-based column where it starts. */
export interface LinePiece {
  readonly text: string;
  readonly column: number;
}

/** The part of a line before its `#` comment, and where an unterminated quote starts (if any). */
export interface LineContent {
  readonly content: string;
  readonly unterminatedQuoteIndex?: number;
}

const QUOTE = '"';
const COMMENT = '#';

/** Cuts a line at its first `#` outside double quotes. */
export function stripComment(line: string): LineContent {
  let quoteStart = -1;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (char === QUOTE) {
      quoteStart = quoteStart < 0 ? index : -1;
    } else if (char === COMMENT && quoteStart < 0) {
      return { content: line.slice(0, index) };
    }
  }
  return quoteStart < 0 ? { content: line } : { content: line, unterminatedQuoteIndex: quoteStart };
}

/** The index of `char` in `text` from `from`, skipping double-quoted parts; -1 when absent. */
export function indexOutsideQuotes(text: string, char: string, from = 0): number {
  let inQuotes = false;
  for (let index = from; index < text.length; index++) {
    if (text[index] === QUOTE) {
      inQuotes = !inQuotes;
    } else if (text[index] === char && !inQuotes) {
      return index;
    }
  }
  return -1;
}

/** Trims a piece, moving its column past the leading whitespace. */
export function trimPiece(piece: LinePiece): LinePiece {
  const leading = piece.text.length - piece.text.trimStart().length;
  return { text: piece.text.trim(), column: piece.column + leading };
}

/** Splits a comma-separated value (quotes protect commas) into trimmed pieces with their columns. */
export function splitList(value: LinePiece): LinePiece[] {
  const pieces: LinePiece[] = [];
  let start = 0;
  for (;;) {
    const comma = indexOutsideQuotes(value.text, ',', start);
    const end = comma < 0 ? value.text.length : comma;
    pieces.push(trimPiece({ text: value.text.slice(start, end), column: value.column + start }));
    if (comma < 0) {
      return pieces;
    }
    start = comma + 1;
  }
}

/** Removes one pair of surrounding double quotes, if present. */
export function unquote(text: string): string {
  return text.length >= 2 && text.startsWith(QUOTE) && text.endsWith(QUOTE)
    ? text.slice(1, -1)
    : text;
}
