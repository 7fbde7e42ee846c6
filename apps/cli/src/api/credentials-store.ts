import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  CREDENTIALS_DIR_MODE,
  CREDENTIALS_FILE_MODE,
  CREDENTIALS_RELATIVE_PATH,
} from '../cli.constants';
import { CliError } from '../cli-error';

const CREDENTIALS_SCHEMA = z.object({
  url: z.string().url(),
  token: z.string().min(1),
  username: z.string().optional(),
  tokenId: z.string().optional(),
});

/** What `flotilla login` stores: the DM URL and an API token (never the password). */
export type StoredCredentials = z.infer<typeof CREDENTIALS_SCHEMA>;

/** Where the DM is and how to authenticate, after FLOTILLA_URL/FLOTILLA_TOKEN overrides. */
export interface ResolvedCredentials {
  readonly url: string;
  readonly token: string;
}

/** The credentials file `~/.config/flotilla/credentials.json` (0600), with env overrides. */
export class CredentialsStore {
  readonly path: string;

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {
    const home = env.HOME ?? homedir();
    const configDir = env.XDG_CONFIG_HOME ?? join(home, '.config');
    this.path = join(configDir, ...CREDENTIALS_RELATIVE_PATH);
  }

  /** Reads the stored credentials; undefined when there are none. */
  async read(): Promise<StoredCredentials | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
    const parsed = CREDENTIALS_SCHEMA.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new CliError(
        'NOT_LOGGED_IN',
        `${this.path}: not a Flotilla credentials file (${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}); run flotilla login`,
      );
    }
    return parsed.data;
  }

  /** Writes the credentials, readable by the owner only. */
  async write(credentials: StoredCredentials): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: CREDENTIALS_DIR_MODE });
    await writeFile(this.path, `${JSON.stringify(credentials, null, 2)}\n`, {
      mode: CREDENTIALS_FILE_MODE,
    });
    // writeFile keeps the mode of an existing file: tighten it in case it was looser.
    await chmod(this.path, CREDENTIALS_FILE_MODE);
  }

  /** Removes the credentials file; false when there was none. */
  async remove(): Promise<boolean> {
    const existed = (await this.read()) !== undefined;
    await rm(this.path, { force: true });
    return existed;
  }

  /**
   * The credentials to call the DM with: FLOTILLA_URL and FLOTILLA_TOKEN win over the file.
   * @throws CliError NOT_LOGGED_IN when no token is known.
   */
  async resolve(): Promise<ResolvedCredentials> {
    const stored = await this.read();
    const url = this.env.FLOTILLA_URL ?? stored?.url;
    const token = this.env.FLOTILLA_TOKEN ?? stored?.token;
    if (url === undefined || token === undefined) {
      throw new CliError(
        'NOT_LOGGED_IN',
        `Not logged in (no ${this.path} and no FLOTILLA_TOKEN): run flotilla login`,
      );
    }
    return { url: url.replace(/\/+$/, ''), token };
  }
}
