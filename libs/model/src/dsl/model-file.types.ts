import type { SourcePosition } from '../model.types';

/** A `key: value;` line inside a block, as written (value trimmed, quotes kept). */
export interface RawProperty {
  readonly key: string;
  readonly value: string;
  readonly position: SourcePosition;
  readonly valuePosition: SourcePosition;
}

/** The three kinds of blocks of Roboconf's DSL. */
export type RawBlockKind = 'component' | 'facet' | 'instance';

/** A `Name { ... }`, `facet Name { ... }` or `instance of Name { ... }` block. */
export interface RawBlock {
  readonly kind: RawBlockKind;
  readonly name: string;
  /** Where the block's first word starts. */
  readonly position: SourcePosition;
  readonly namePosition: SourcePosition;
  readonly properties: RawProperty[];
  /** Nested `instance of` blocks (instances files only). */
  readonly blocks: RawBlock[];
}

/** An `import other.graph;` line. */
export interface RawImport {
  readonly uri: string;
  readonly position: SourcePosition;
}

/** A model file cut into blocks, before any graph or instances semantics. */
export interface RawModelFile {
  readonly file: string;
  readonly imports: RawImport[];
  readonly blocks: RawBlock[];
}
