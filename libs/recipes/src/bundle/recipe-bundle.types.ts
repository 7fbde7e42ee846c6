/** One file of a recipe bundle, relative to `graph/<Component>/` (`scripts/deploy.sh`). */
export interface RecipeBundleFile {
  readonly path: string;
  /** 0o755 for executables (every script), 0o644 otherwise. */
  readonly mode: number;
  /** The file's bytes, base64. */
  readonly content: string;
}

/** The serialized form of a bundle: a versioned JSON document with files sorted by path. */
export interface RecipeBundleDocument {
  readonly format: 'flotilla-recipe-bundle';
  readonly version: number;
  readonly component: string;
  readonly files: readonly RecipeBundleFile[];
}

/** A packed bundle ready to ship: its exact bytes and their SHA-256 (hex). */
export interface PackedRecipeBundle {
  readonly component: string;
  readonly bytes: Buffer;
  readonly digest: string;
}

/** The lifecycle steps a script recipe may define. */
export type RecipeStepName = 'deploy' | 'start' | 'stop' | 'undeploy' | 'update';

/** Where the agent caches a bundle: one directory per (template, version, component). */
export interface RecipeBundleKey {
  readonly templateName: string;
  readonly templateVersion: string;
  readonly component: string;
}
