import type { ImportedVariable, SourcePosition } from '../model.types';
import type { RawImport } from './model-file.types';

/** A name written in a model file (a child, a facet, a super component) and where. */
export interface NameReference {
  readonly name: string;
  readonly position: SourcePosition;
}

/** An `exports` item as written: `port = 8080`, `ip`, `random[port] httpPort`. */
export interface ExportDeclaration {
  /** As written: a short name, or a qualified one when it contains a dot. */
  readonly name: string;
  readonly defaultValue?: string;
  readonly random?: 'port';
  readonly position: SourcePosition;
}

/** A component block of a graph file, checked but not yet resolved against other blocks. */
export interface ComponentDeclaration {
  readonly kind: 'component';
  readonly name: string;
  readonly position: SourcePosition;
  readonly installer?: NameReference;
  readonly extends?: NameReference;
  readonly facets: readonly NameReference[];
  readonly children: readonly NameReference[];
  readonly exports: readonly ExportDeclaration[];
  readonly imports: readonly ImportedVariable[];
}

/** A facet block of a graph file. */
export interface FacetDeclaration {
  readonly kind: 'facet';
  readonly name: string;
  readonly position: SourcePosition;
  readonly extends: readonly NameReference[];
  readonly children: readonly NameReference[];
  readonly exports: readonly ExportDeclaration[];
}

/** Everything one graph file declares. */
export interface GraphFileDeclarations {
  readonly file: string;
  readonly imports: readonly RawImport[];
  readonly components: readonly ComponentDeclaration[];
  readonly facets: readonly FacetDeclaration[];
}
