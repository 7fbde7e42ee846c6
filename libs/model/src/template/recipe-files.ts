import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedComponent } from '../model.types';

/** The directory of a template holding a component's recipes: `graph/<Component>`. */
export const GRAPH_DIRECTORY = 'graph';

/** The sub-directory of a component's directory holding its shell scripts. */
export const SCRIPTS_DIRECTORY = 'scripts';

/**
 * Lists a component's recipe files, `graph/<Component>/scripts/*`, as paths relative to the
 * template root, sorted; empty when the directory does not exist. Only regular files count.
 */
export function listRecipeFiles(rootDir: string, component: string): string[] {
  const relativeDir = join(GRAPH_DIRECTORY, component, SCRIPTS_DIRECTORY);
  const directory = join(rootDir, relativeDir);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    return [];
  }
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(relativeDir, entry.name))
    .sort();
}

/**
 * The component whose recipes a component uses: itself when it has `graph/<Component>/`, else the
 * nearest super component that has one (recipes are inherited through `extends`).
 */
export function findRecipeOwner(rootDir: string, component: ResolvedComponent): string | undefined {
  return component.ancestry.find((name) => existsSync(join(rootDir, GRAPH_DIRECTORY, name)));
}
