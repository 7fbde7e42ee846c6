import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { RecipeError } from '../errors';
import { BUNDLE_FORMAT_VERSION } from '../recipes.constants';
import type {
  PackedRecipeBundle,
  RecipeBundleDocument,
  RecipeBundleFile,
} from './recipe-bundle.types';

/** The folders of `graph/<Component>/` that make up a script component's recipe bundle. */
export const BUNDLE_FOLDERS: readonly string[] = ['scripts', 'files'];

/** SHA-256 of bundle bytes as lowercase hex: the digest shipped with and checked against a bundle. */
export function digestBundle(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Packs `graph/<component>/scripts/**` and `graph/<component>/files/**` of an application
 * template into a deterministic bundle: the same files always give the same bytes and digest.
 * @throws RecipeError BUNDLE_SOURCE_MISSING when the component has no `scripts/` folder.
 */
export async function packRecipeBundle(
  templateDir: string,
  component: string,
): Promise<PackedRecipeBundle> {
  const componentDir = join(templateDir, 'graph', component);
  const scriptsDir = join(componentDir, 'scripts');
  if (!(await isDirectory(scriptsDir))) {
    throw new RecipeError(
      'BUNDLE_SOURCE_MISSING',
      `Component ${component} has no recipe scripts: ${scriptsDir} is not a directory`,
      { file: scriptsDir },
    );
  }
  const files: RecipeBundleFile[] = [];
  for (const folder of BUNDLE_FOLDERS) {
    const dir = join(componentDir, folder);
    if (await isDirectory(dir)) {
      for (const path of await listFiles(dir)) {
        files.push(await readBundleFile(componentDir, path, folder === 'scripts'));
      }
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const document: RecipeBundleDocument = {
    format: 'flotilla-recipe-bundle',
    version: BUNDLE_FORMAT_VERSION,
    component,
    files,
  };
  const bytes = Buffer.from(JSON.stringify(document), 'utf8');
  return { component, bytes, digest: digestBundle(bytes) };
}

async function readBundleFile(
  componentDir: string,
  path: string,
  isScript: boolean,
): Promise<RecipeBundleFile> {
  const info = await stat(path);
  const isExecutable = isScript || (info.mode & 0o111) !== 0;
  return {
    path: relative(componentDir, path).split(sep).join('/'),
    mode: isExecutable ? 0o755 : 0o644,
    content: (await readFile(path)).toString('base64'),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await listFiles(path)));
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
  return found;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
