import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { CliError } from '../cli-error';
import { AGENT_PACKAGE_NAME, LAUNCHER_RELATIVE_PATH } from './agent-install.constants';
import { AGENT_LAUNCHER_SCRIPT } from './agent-launcher.script';
import { AgentPackageFiles, type PackageEntry } from './agent-package-files';

/** Enough for the packed agent (a few MiB) on the way out of tar. */
const TAR_MAX_BUFFER_BYTES = 256 * 1024 * 1024;

/** The self-contained agent package: a tar.gz to unpack into the install directory. */
export interface AgentPackage {
  readonly archive: Buffer;
  /** How many packages it holds (workspaces and external dependencies). */
  readonly packageCount: number;
  /** The repository root it was built from (where packaging/ lives). */
  readonly repoRoot: string;
}

/**
 * Builds the agent package from the built workspaces here: `node_modules/` with the agent's
 * closure and `bin/flotilla-agent.js`; it runs with a plain `node` (20 or later) on the target.
 * @throws CliError INSTALL_FAILED when the agent is not built or `tar` fails.
 */
export async function buildAgentPackage(fromDir: string = __dirname): Promise<AgentPackage> {
  const { root, entries } = AgentPackageFiles.collect(AGENT_PACKAGE_NAME, fromDir);
  const staging = await mkdtemp(join(tmpdir(), 'flotilla-agent-package-'));
  try {
    for (const entry of withoutNested(entries)) {
      await stageEntry(entry, staging);
    }
    await mkdir(join(staging, dirname(LAUNCHER_RELATIVE_PATH)), { recursive: true });
    await writeFile(join(staging, LAUNCHER_RELATIVE_PATH), AGENT_LAUNCHER_SCRIPT, { mode: 0o755 });
    // -h: the staging tree is symbolic links to the files here; the archive holds the files.
    const archive = await promisify(execFile)('tar', ['-czhf', '-', '-C', staging, '.'], {
      encoding: 'buffer',
      maxBuffer: TAR_MAX_BUFFER_BYTES,
    }).catch((error: unknown) => {
      throw new CliError('INSTALL_FAILED', `Cannot pack the agent: ${String(error)}`, undefined, {
        cause: error,
      });
    });
    return { archive: archive.stdout, packageCount: entries.length, repoRoot: root };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Drops packages nested in another shipped package's directory: they come with it. */
function withoutNested(entries: readonly PackageEntry[]): PackageEntry[] {
  const wholeDirs = entries.filter((entry) => entry.files === undefined).map((e) => e.targetDir);
  return entries.filter(
    (entry) => !wholeDirs.some((dir) => entry.targetDir.startsWith(`${dir}${sep}`)),
  );
}

/** Links the entry into the staging tree (a whole package, or each of a workspace's files). */
async function stageEntry(entry: PackageEntry, staging: string): Promise<void> {
  const target = join(staging, entry.targetDir);
  if (entry.files === undefined) {
    await mkdir(dirname(target), { recursive: true });
    await symlink(entry.sourceDir, target);
    return;
  }
  for (const file of entry.files) {
    await mkdir(dirname(join(target, file)), { recursive: true });
    await symlink(join(entry.sourceDir, file), join(target, file));
  }
}
