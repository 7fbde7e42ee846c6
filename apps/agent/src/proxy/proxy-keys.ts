import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** The SSH private keys a proxy logs in to agentless targets with, by file name. */
export class ProxyKeys {
  private constructor(private readonly keys: ReadonlyMap<string, string>) {}

  /**
   * Reads every key file once at start (a key the proxy cannot read is a start failure, not a
   * surprise in the middle of a deployment).
   * @throws Error naming the key file that cannot be read.
   */
  static async load(files: readonly string[]): Promise<ProxyKeys> {
    const keys = new Map<string, string>();
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        throw new Error(`FLOTILLA_PROXY_KEYS: cannot read the SSH key ${file}: ${String(error)}`, {
          cause: error,
        });
      });
      keys.set(basename(file), text);
    }
    return new ProxyKeys(keys);
  }

  /** The names the DM may ask for, in the configured order. */
  get names(): string[] {
    return [...this.keys.keys()];
  }

  /** The key named `name`, or the first key when no name is given; undefined when there is none. */
  find(name: string | undefined): string | undefined {
    return name === undefined ? this.keys.values().next().value : this.keys.get(name);
  }
}
