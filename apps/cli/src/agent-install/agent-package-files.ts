import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { CliError } from '../cli-error';
import { WORKSPACE_SCOPE } from './agent-install.constants';

/** One package of the agent's closure: where it is here and where it goes in the package. */
export interface PackageEntry {
  readonly name: string;
  /** The real directory of the package on this machine. */
  readonly sourceDir: string;
  /** Its directory inside the shipped package (`node_modules/<name>` or a nested path). */
  readonly targetDir: string;
  /** Files to ship, relative to `sourceDir`; undefined means the whole directory. */
  readonly files?: readonly string[];
}

const REQUIRE_PATTERN = /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g;
const BUILTINS = new Set(builtinModules);

/** The package name of a bare specifier (`@scope/name/deep` → `@scope/name`). */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(packageNameOf(specifier));
}

/** The directory of package `name` as Node finds it from `fromDir` (walking up node_modules). */
function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) {
      return realpathSync(candidate);
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}

function readManifest(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
}

function resolveRelative(file: string, specifier: string): string {
  const base = resolve(dirname(file), specifier);
  for (const candidate of [base, `${base}.js`, `${base}.json`, join(base, 'index.js')]) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile() === true) {
      return candidate;
    }
  }
  throw new CliError('INSTALL_FAILED', `Cannot resolve "${specifier}" required by ${file}`);
}

/**
 * The agent's closure: the built files of Flotilla's workspaces that the agent's module graph
 * reaches (followed require by require from its `dist/index.js`), and every external package
 * they require with its production dependencies.
 */
export class AgentPackageFiles {
  private readonly workspaceFiles = new Map<string, Set<string>>();
  private readonly workspaceDirs = new Map<string, string>();
  private readonly externals = new Map<string, PackageEntry>();

  private constructor(private readonly repoRoot: string) {}

  /**
   * Collects the closure of workspace `name`, found from `fromDir`.
   * @throws CliError INSTALL_FAILED when a workspace is not built or a dependency is missing.
   */
  static collect(name: string, fromDir: string): { root: string; entries: PackageEntry[] } {
    const dir = findPackageDir(name, fromDir);
    if (dir === undefined) {
      throw new CliError('INSTALL_FAILED', `Cannot find the package ${name} from ${fromDir}`);
    }
    const repoRoot = AgentPackageFiles.repoRootOf(name, fromDir);
    const files = new AgentPackageFiles(repoRoot);
    files.walkWorkspace(name, dir);
    return { root: repoRoot, entries: files.entries() };
  }

  /** The directory whose node_modules holds the workspace links (the repository root). */
  private static repoRootOf(name: string, fromDir: string): string {
    for (let dir = fromDir; dirname(dir) !== dir; dir = dirname(dir)) {
      if (existsSync(join(dir, 'node_modules', name, 'package.json'))) {
        return dir;
      }
    }
    return fromDir;
  }

  private entries(): PackageEntry[] {
    const workspaces = [...this.workspaceFiles.entries()].map(([name, files]) => ({
      name,
      sourceDir: this.workspaceDirs.get(name) ?? '',
      targetDir: join('node_modules', name),
      files: ['package.json', ...[...files].sort()],
    }));
    return [...workspaces, ...this.externals.values()];
  }

  private walkWorkspace(name: string, dir: string): void {
    if (this.workspaceFiles.has(name)) {
      return;
    }
    const main = join(dir, 'dist', 'index.js');
    if (!existsSync(main)) {
      throw new CliError(
        'INSTALL_FAILED',
        `${name} is not built (${main} is missing): run npm run build first`,
      );
    }
    this.workspaceFiles.set(name, new Set());
    this.workspaceDirs.set(name, dir);
    this.walkFile(name, dir, main);
  }

  private walkFile(workspace: string, dir: string, file: string): void {
    const files = this.workspaceFiles.get(workspace) ?? new Set<string>();
    const path = relative(dir, file);
    if (files.has(path)) {
      return;
    }
    files.add(path);
    if (!file.endsWith('.js')) {
      return;
    }
    for (const match of readFileSync(file, 'utf8').matchAll(REQUIRE_PATTERN)) {
      const specifier = match[1];
      if (specifier.startsWith('.')) {
        this.walkFile(workspace, dir, resolveRelative(file, specifier));
      } else if (!isBuiltin(specifier)) {
        this.addDependency(packageNameOf(specifier), dir, file);
      }
    }
  }

  private addDependency(name: string, fromDir: string, requiredBy: string): void {
    const dir = findPackageDir(name, fromDir);
    if (dir === undefined) {
      throw new CliError('INSTALL_FAILED', `Cannot find ${name}, required by ${requiredBy}`);
    }
    if (name.startsWith(WORKSPACE_SCOPE)) {
      this.walkWorkspace(name, dir);
    } else {
      this.addExternal(name, dir);
    }
  }

  private addExternal(name: string, dir: string): void {
    if (this.externals.has(dir)) {
      return;
    }
    this.externals.set(dir, { name, sourceDir: dir, targetDir: relative(this.repoRoot, dir) });
    const manifest = readManifest(dir);
    const optional = Object.keys((manifest.optionalDependencies as object | undefined) ?? {});
    const required = Object.keys((manifest.dependencies as object | undefined) ?? {});
    for (const dependency of new Set([...required, ...optional])) {
      const dependencyDir = findPackageDir(dependency, dir);
      if (dependencyDir !== undefined) {
        this.addExternal(dependency, dependencyDir);
      } else if (!optional.includes(dependency)) {
        throw new CliError(
          'INSTALL_FAILED',
          `Cannot find ${dependency}, a dependency of ${name} (${dir}): run npm ci`,
        );
      }
    }
  }
}
