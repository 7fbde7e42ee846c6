import type { SourcePosition } from '../model.types';
import type { RawImport } from './model-file.types';

/** A property of an instance block, its value unquoted. */
export interface InstanceProperty {
  readonly key: string;
  readonly value: string;
  readonly position: SourcePosition;
}

/** An `instance of Component { ... }` block, before `count` is expanded and checked against a graph. */
export interface InstanceDeclaration {
  readonly component: string;
  readonly componentPosition: SourcePosition;
  readonly position: SourcePosition;
  readonly name?: string;
  readonly count: number;
  /** Every property but `name` and `count`. */
  readonly properties: readonly InstanceProperty[];
  readonly children: readonly InstanceDeclaration[];
}

/** Everything one instances file declares. */
export interface InstancesFileDeclarations {
  readonly file: string;
  readonly imports: readonly RawImport[];
  readonly instances: readonly InstanceDeclaration[];
}
