import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { SCRIPT_INSTALLERS } from '../dsl/dsl.constants';
import { readModelFile } from '../dsl/model-file.reader';
import { DIAGNOSTIC_CODES, hasErrors, ModelError, type Diagnostic } from '../errors';
import { loadGraph } from '../graph/graph-loader';
import { loadInstances } from '../instances/instances-loader';
import type { ApplicationTemplate, ResolvedGraph } from '../model.types';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive/archive-entry';
import { extractArchive, isArchiveName } from './archive/archive-extractor';
import { readExternalExports } from './external-exports';
import { findRecipeOwner, GRAPH_DIRECTORY, listRecipeFiles } from './recipe-files';
import { readTemplateDescriptor, type TemplateDescriptor } from './template-descriptor';

/** A valid template as loaded from disk, with where it lives and its recipe files. */
export interface LoadedTemplate extends ApplicationTemplate {
  /** The template's root directory (the extraction directory for an archive). */
  readonly rootDir: string;
  /** `exports-prefix` of the descriptor, for inter-application imports. */
  readonly exportsPrefix?: string;
  /** Variables offered to other applications: alias (imported as `<exportsPrefix>.<alias>`) → variable. */
  readonly externalExports: Readonly<Record<string, string>>;
  /** Recipe files per component, relative to rootDir (inherited through extends when not its own). */
  readonly recipes: Readonly<Record<string, readonly string[]>>;
}

/** The outcome of loading a template: the template when there is no error, and every diagnostic. */
export interface TemplateLoadResult {
  readonly template?: LoadedTemplate;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when an archive was extracted into a directory the caller now owns (and may remove). */
  readonly extractedTo?: string;
}

/** Options of {@link loadTemplate}. */
export interface TemplateLoadOptions {
  /** Where to extract an archive (default: a new directory under the system temp directory). */
  readonly extractTo?: string;
  readonly archiveLimits?: ArchiveLimits;
}

const DESCRIPTOR = 'descriptor/application.properties';

/**
 * Loads a Roboconf application template from a directory or an archive (`.zip`, `.tar`, `.tar.gz`,
 * `.tgz`): descriptor, graph, instances, recipes. Refuses the template, reporting every problem,
 * when anything is wrong; positions are relative to the template root.
 */
export async function loadTemplate(
  path: string,
  options: TemplateLoadOptions = {},
): Promise<TemplateLoadResult> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error: unknown) {
    return failure(
      `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
      DIAGNOSTIC_CODES.unreadableFile,
    );
  }
  if (stats.isDirectory()) {
    return loadTemplateDirectory(path, basename(path));
  }
  if (!isArchiveName(path)) {
    return failure(
      `${path} is neither a template directory nor a .zip, .tar, .tar.gz or .tgz archive`,
      DIAGNOSTIC_CODES.invalidArchive,
    );
  }
  const destination = options.extractTo ?? (await mkdtemp(join(tmpdir(), 'flotilla-template-')));
  try {
    await extractArchive(path, destination, options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS);
  } catch (error: unknown) {
    if (!options.extractTo) {
      await rm(destination, { recursive: true, force: true });
    }
    if (error instanceof ModelError) {
      return failure(error.message, DIAGNOSTIC_CODES.invalidArchive);
    }
    throw error;
  }
  const rootDir = await findTemplateRoot(destination);
  const name = basename(path).replace(/\.(zip|tar|tar\.gz|tgz)$/i, '');
  const result = loadTemplateDirectory(rootDir, name);
  if (result.template) {
    await makeRecipesExecutable(result.template);
  }
  return { ...result, extractedTo: destination };
}

/** An archive may wrap the template in one top-level directory: look inside it. */
async function findTemplateRoot(directory: string): Promise<string> {
  // Archivers add metadata folders (__MACOSX) and hidden files beside the wrapping directory.
  const entries = (await readdir(directory, { withFileTypes: true })).filter(
    (entry) => !entry.name.startsWith('.') && entry.name !== '__MACOSX',
  );
  const isTemplate = entries.some((entry) => entry.name === 'descriptor');
  if (!isTemplate && entries.length === 1 && entries[0].isDirectory()) {
    return join(directory, entries[0].name);
  }
  return directory;
}

/** Roboconf makes recipe scripts executable: archives made on Windows carry no mode bits. */
async function makeRecipesExecutable(template: LoadedTemplate): Promise<void> {
  const files = new Set(Object.values(template.recipes).flat());
  await Promise.all([...files].map((file) => chmod(join(template.rootDir, file), 0o755)));
}

function failure(message: string, code: Diagnostic['code']): TemplateLoadResult {
  return { diagnostics: [{ severity: 'error', code, message }] };
}

/** Loads a template directory; `directoryName` stands in for Maven placeholders in the name. */
export function loadTemplateDirectory(rootDir: string, directoryName: string): TemplateLoadResult {
  const collector = new DiagnosticCollector();
  const read = readModelFile(join(rootDir, DESCRIPTOR), DESCRIPTOR);
  if ('diagnostic' in read) {
    collector.error(
      DIAGNOSTIC_CODES.missingDescriptor,
      `${read.diagnostic.message}: a template needs ${DESCRIPTOR}`,
    );
    return { diagnostics: collector.diagnostics };
  }
  const descriptor = readTemplateDescriptor(read.text, DESCRIPTOR, directoryName, collector);
  const model = loadModel(rootDir, descriptor, collector);
  if (!model || hasErrors(collector.diagnostics)) {
    return { diagnostics: collector.diagnostics };
  }
  const { name, version, description, exportsPrefix } = descriptor;
  return {
    template: { name, version, description, exportsPrefix, ...model, rootDir },
    diagnostics: collector.diagnostics,
  };
}

/** The graph, instances and recipes a descriptor points to; undefined without a graph entry point. */
function loadModel(
  rootDir: string,
  descriptor: TemplateDescriptor,
  collector: DiagnosticCollector,
): Pick<LoadedTemplate, 'graph' | 'instances' | 'recipes' | 'externalExports'> | undefined {
  if (descriptor.graphEntryPoint === undefined) {
    return undefined;
  }
  const loaded = loadGraph(join(rootDir, GRAPH_DIRECTORY, descriptor.graphEntryPoint), {
    displayRoot: rootDir,
    ...(descriptor.graphEntryPosition ? { entryPosition: descriptor.graphEntryPosition } : {}),
  });
  collector.addAll(loaded.diagnostics);
  const instances = descriptor.instanceEntryPoint
    ? loadInstances(join(rootDir, 'instances', descriptor.instanceEntryPoint), {
        displayRoot: rootDir,
        ...(descriptor.instanceEntryPosition
          ? { entryPosition: descriptor.instanceEntryPosition }
          : {}),
        // Against a broken graph, instance checks would only echo the graph's errors.
        ...(hasErrors(loaded.diagnostics) ? {} : { graph: loaded.graph }),
      })
    : { instances: [], diagnostics: [] };
  collector.addAll(instances.diagnostics);
  const recipes = collectRecipes(rootDir, loaded.graph, collector);
  const externalExports = readExternalExports(
    descriptor.exports,
    descriptor.exportsPrefix,
    loaded.graph,
    collector,
  );
  return { graph: loaded.graph, instances: instances.instances, recipes, externalExports };
}

function collectRecipes(
  rootDir: string,
  graph: ResolvedGraph,
  collector: DiagnosticCollector,
): Record<string, string[]> {
  const recipes: Record<string, string[]> = {};
  for (const component of Object.values(graph.components)) {
    const owner = findRecipeOwner(rootDir, component);
    recipes[component.name] = owner ? listRecipeFiles(rootDir, owner) : [];
    if (SCRIPT_INSTALLERS.includes(component.installer) && recipes[component.name].length === 0) {
      collector.warning(
        DIAGNOSTIC_CODES.missingRecipes,
        `component '${component.name}' (installer ${component.installer}) has no recipe in ${GRAPH_DIRECTORY}/${component.name}/scripts/: its steps will do nothing`,
        component.position,
      );
    }
  }
  return recipes;
}
