import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseRecipeBundle } from './recipe-bundle-parser';
import type { RecipeBundleDocument, RecipeBundleKey } from './recipe-bundle.types';

/** Name of the file, inside a cached bundle directory, holding the digest it was unpacked from. */
const DIGEST_FILE_NAME = '.bundle-digest';

/** Encodes a template name, version or component as one safe path segment. */
function segment(value: string): string {
  return encodeURIComponent(value).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
}

/**
 * The agent's cache of unpacked recipe bundles, one directory per (template, version, component)
 * under `rootDir`; a bundle is unpacked once, into a temporary directory renamed into place.
 */
export class RecipeBundleCache {
  /** Installs in progress by directory: two requests for one bundle must not race on the rename. */
  private readonly installing = new Map<string, Promise<string>>();

  constructor(private readonly rootDir: string) {}

  /** The directory a bundle is (or would be) unpacked into. */
  directoryFor(key: RecipeBundleKey): string {
    return join(
      this.rootDir,
      segment(key.templateName),
      segment(key.templateVersion),
      segment(key.component),
    );
  }

  /** The digest of the bundle cached for `key`, or undefined when none is cached. */
  async cachedDigest(key: RecipeBundleKey): Promise<string | undefined> {
    return readFile(join(this.directoryFor(key), DIGEST_FILE_NAME), 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
  }

  /**
   * Verifies and unpacks a bundle unless the same digest is already cached; returns its directory.
   * @throws RecipeError BUNDLE_DIGEST_MISMATCH, BUNDLE_MALFORMED or BUNDLE_INVALID_PATH.
   */
  async install(key: RecipeBundleKey, bytes: Buffer, digest: string): Promise<string> {
    const document = parseRecipeBundle(bytes, digest);
    const target = this.directoryFor(key);
    const previous = this.installing.get(target) ?? Promise.resolve(target);
    const current = previous
      .catch(() => target)
      .then(() => this.unpack(key, document, digest, target));
    this.installing.set(target, current);
    try {
      return await current;
    } finally {
      if (this.installing.get(target) === current) {
        this.installing.delete(target);
      }
    }
  }

  private async unpack(
    key: RecipeBundleKey,
    document: RecipeBundleDocument,
    digest: string,
    target: string,
  ): Promise<string> {
    if ((await this.cachedDigest(key)) === digest.toLowerCase()) {
      return target;
    }
    const staging = `${target}.staging-${randomUUID()}`;
    try {
      for (const file of document.files) {
        const path = join(staging, ...file.path.split('/'));
        await mkdir(dirname(path), { recursive: true, mode: 0o755 });
        await writeFile(path, Buffer.from(file.content, 'base64'), { mode: file.mode });
        await chmod(path, file.mode);
      }
      await mkdir(join(staging, 'scripts'), { recursive: true, mode: 0o755 });
      await writeFile(join(staging, DIGEST_FILE_NAME), digest.toLowerCase(), { mode: 0o644 });
      await rm(target, { recursive: true, force: true });
      await rename(staging, target);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return target;
  }
}
