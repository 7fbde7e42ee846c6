import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Client } from 'ssh2';
import { execRemoteChecked } from './remote-command';
import { REMOTE_FIREWALL_HELPER_SCRIPT, RUN_STEP_SCRIPT } from './remote-scripts';
import { sftpMakeDirectory, sftpSessionOf, sftpWriteFile } from './sftp-session';
import { quoteShellCommand, quoteShellWord } from './shell-quote';
import {
  REMOTE_BIN_DIR_NAME,
  REMOTE_BUNDLE_DIR_NAME,
  REMOTE_ENV_FILE_NAME,
  REMOTE_RELAY_PID_FILE_NAME,
  REMOTE_WORKDIR_PREFIX,
  REMOTE_WRAPPER_FILE_NAME,
} from './ssh.constants';

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
const EXECUTABLE_MODE = 0o700;
const RANDOM_NAME_BYTES = 9;

interface LocalBundle {
  readonly directories: string[];
  readonly files: { readonly path: string; readonly mode: number; readonly content: Buffer }[];
}

/**
 * A step's private directory on the target: created over SFTP with an unguessable name and mode
 * 0700 (the create fails if the name exists, so nobody can pre-create it), holding the uploaded
 * bundle, the step's environment file, the fixed wrapper and the `flotilla-fw` helper.
 */
export class RemoteStepWorkspace {
  private constructor(
    private readonly client: Client,
    private readonly target: string,
    /** The directory's absolute path on the target. */
    readonly dir: string,
  ) {}

  /** The remote path of a file of the workspace. */
  pathOf(...segments: string[]): string {
    return [this.dir, ...segments].join('/');
  }

  /**
   * Creates the private directory under `parentDir` on the target.
   * @throws SshError SSH_UPLOAD_FAILED naming the directory.
   */
  static async create(
    client: Client,
    target: string,
    parentDir: string,
  ): Promise<RemoteStepWorkspace> {
    const name = `${REMOTE_WORKDIR_PREFIX}${randomBytes(RANDOM_NAME_BYTES).toString('base64url')}`;
    const dir = `${parentDir.replace(/\/+$/, '')}/${name}`;
    const sftp = await sftpSessionOf(client, target);
    await sftpMakeDirectory(sftp, dir, PRIVATE_DIR_MODE, target);
    return new RemoteStepWorkspace(client, target, dir);
  }

  /**
   * Uploads the bundle found in `bundleDir`, the environment file, the wrapper and the helper.
   * @throws SshError SSH_UPLOAD_FAILED naming the remote file.
   */
  async upload(bundleDir: string, environmentFile: string): Promise<void> {
    const bundle = await readLocalBundle(bundleDir);
    const sftp = await sftpSessionOf(this.client, this.target);
    const mkdir = (path: string): Promise<void> =>
      sftpMakeDirectory(sftp, path, PRIVATE_DIR_MODE, this.target);
    const write = (path: string, content: Buffer | string, mode: number): Promise<void> =>
      sftpWriteFile(sftp, path, content, mode, this.target);
    await Promise.all([
      mkdir(this.pathOf(REMOTE_BUNDLE_DIR_NAME)),
      mkdir(this.pathOf(REMOTE_BIN_DIR_NAME)),
    ]);
    // Parents before children: each depth waits for the previous one.
    for (const depth of groupByDepth(bundle.directories)) {
      await Promise.all(depth.map((path) => mkdir(this.pathOf(REMOTE_BUNDLE_DIR_NAME, path))));
    }
    await Promise.all([
      ...bundle.files.map((file) =>
        write(this.pathOf(REMOTE_BUNDLE_DIR_NAME, file.path), file.content, file.mode),
      ),
      write(this.pathOf(REMOTE_ENV_FILE_NAME), environmentFile, PRIVATE_FILE_MODE),
      write(this.pathOf(REMOTE_WRAPPER_FILE_NAME), RUN_STEP_SCRIPT, EXECUTABLE_MODE),
      write(
        this.pathOf(REMOTE_BIN_DIR_NAME, 'flotilla-fw'),
        REMOTE_FIREWALL_HELPER_SCRIPT,
        EXECUTABLE_MODE,
      ),
    ]);
  }

  /**
   * Stops the step's firewall relay if it runs and removes the directory (when the wrapper could
   * not: upload failure, timeout, lost connection).
   * @throws SshError SSH_COMMAND_FAILED when the directory cannot be removed.
   */
  async remove(): Promise<void> {
    const pidFile = quoteShellWord(this.pathOf(REMOTE_RELAY_PID_FILE_NAME));
    // Fixed text around quoted paths.
    const line = `if [ -s ${pidFile} ]; then kill "$(cat ${pidFile})" 2>/dev/null; fi; ${quoteShellCommand(['rm', '-rf', '--', this.dir])}`;
    await execRemoteChecked(this.client, line, { target: this.target });
  }
}

/** Reads an unpacked bundle (as `RecipeBundleCache` leaves it): directories and files, relative. */
async function readLocalBundle(bundleDir: string): Promise<LocalBundle> {
  const bundle: LocalBundle = { directories: [], files: [] };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const relativePath = relative(bundleDir, path).split(sep).join('/');
      if (entry.isDirectory()) {
        bundle.directories.push(relativePath);
        await walk(path);
      } else if (entry.isFile()) {
        const mode = (await stat(path)).mode & 0o111 ? EXECUTABLE_MODE : PRIVATE_FILE_MODE;
        bundle.files.push({ path: relativePath, mode, content: await readFile(path) });
      }
    }
  };
  await walk(bundleDir);
  return bundle;
}

function groupByDepth(paths: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const path of paths) {
    const depth = path.split('/').length - 1;
    (groups[depth] ??= []).push(path);
  }
  return groups.filter((group) => group.length > 0);
}
