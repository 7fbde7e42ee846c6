import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecipeBundleCache } from '@flotilla/recipes';

/** A bundle held in the cache, as the inventory reports it. */
export interface CachedBundle {
  readonly templateName: string;
  readonly templateVersion: string;
  readonly component: string;
  readonly digest: string;
}

async function children(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.includes('.staging-'))
    .map((entry) => entry.name);
}

/** Every complete bundle in the cache rooted at `rootDir` (template / version / component). */
export async function listCachedBundles(
  rootDir: string,
  cache: RecipeBundleCache,
): Promise<CachedBundle[]> {
  const found: CachedBundle[] = [];
  for (const template of await children(rootDir)) {
    for (const version of await children(join(rootDir, template))) {
      for (const component of await children(join(rootDir, template, version))) {
        const key = {
          templateName: decodeURIComponent(template),
          templateVersion: decodeURIComponent(version),
          component: decodeURIComponent(component),
        };
        const digest = await cache.cachedDigest(key);
        if (digest !== undefined) {
          found.push({ ...key, digest });
        }
      }
    }
  }
  return found;
}
