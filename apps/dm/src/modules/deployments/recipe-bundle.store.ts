import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { extractArchive } from '@flotilla/model';
import { packRecipeBundle, type PackedRecipeBundle } from '@flotilla/recipes';
import { DataSource } from 'typeorm';
import type { DmConfig } from '../../config/dm-config';
import { DM_CONFIG } from '../../dm.constants';
import { DmError } from '../../errors';
import { TEMPLATES_DIRECTORY } from './deployments.constants';

/**
 * The recipe bundles of stored templates: each template archive is extracted once under
 * `<dataDir>/templates/<template id>`, and each component's bundle is packed once per process.
 */
@Injectable()
export class RecipeBundleStore {
  private readonly bundles = new Map<string, Promise<PackedRecipeBundle>>();
  /** Extractions by template id: two components of one template must not extract it twice at once. */
  private readonly directories = new Map<string, Promise<string>>();

  constructor(
    @Inject(DM_CONFIG) private readonly config: DmConfig,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The packed bundle of a component of a stored template.
   * @throws DmError NOT_FOUND when the template is gone; RecipeError when the component has no scripts.
   */
  bundleOf(templateId: string, component: string): Promise<PackedRecipeBundle> {
    const key = `${templateId}/${component}`;
    let bundle = this.bundles.get(key);
    if (bundle === undefined) {
      bundle = this.pack(templateId, component);
      bundle.catch(() => this.bundles.delete(key));
      this.bundles.set(key, bundle);
    }
    return bundle;
  }

  private async pack(templateId: string, component: string): Promise<PackedRecipeBundle> {
    return packRecipeBundle(await this.templateDirectory(templateId), component);
  }

  private templateDirectory(templateId: string): Promise<string> {
    let directory = this.directories.get(templateId);
    if (directory === undefined) {
      directory = this.extracted(templateId);
      directory.catch(() => this.directories.delete(templateId));
      this.directories.set(templateId, directory);
    }
    return directory;
  }

  private async extracted(templateId: string): Promise<string> {
    const directory = join(this.config.dataDir, TEMPLATES_DIRECTORY, templateId);
    if (!(await exists(join(directory, '.extracted')))) {
      await this.extract(templateId, directory);
    }
    return rootOf(directory);
  }

  private async extract(templateId: string, directory: string): Promise<void> {
    const rows: Array<{ archive: Buffer; archive_format: string }> = await this.dataSource.query(
      `SELECT archive, archive_format FROM templates WHERE id = $1`,
      [templateId],
    );
    if (rows[0] === undefined) {
      throw new DmError('NOT_FOUND', `No template with id ${templateId}`, { template: templateId });
    }
    const scratch = await mkdtemp(join(tmpdir(), 'flotilla-template-'));
    try {
      const archivePath = join(scratch, `template.${rows[0].archive_format}`);
      await writeFile(archivePath, rows[0].archive);
      await rm(directory, { recursive: true, force: true });
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await extractArchive(archivePath, directory);
      await writeFile(join(directory, '.extracted'), '');
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

/** The template root in an extracted archive: itself, or its one top-level folder. */
async function rootOf(directory: string): Promise<string> {
  if (await exists(join(directory, 'graph'))) {
    return directory;
  }
  const entries = (await readdir(directory, { withFileTypes: true })).filter((entry) =>
    entry.isDirectory(),
  );
  return entries.length === 1 && entries[0] !== undefined
    ? join(directory, entries[0].name)
    : directory;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
