import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command';

/** Where each test network records what it created, so that a crashed run can be cleaned later. */
export const NETNS_STATE_DIR = '/run/flotilla-test-netns';

/** Prefix of every namespace and interface the helper creates. */
export const NETNS_PREFIX = 'flt-';

/** What one test network created: removed by `destroy`, or by the next run if its process died. */
export interface NetworkRecord {
  readonly pid: number;
  readonly subnet: string;
  readonly bridge: string;
  readonly namespaces: string[];
}

function recordPath(tag: string): string {
  return join(NETNS_STATE_DIR, `${tag}.json`);
}

/** Saves (or updates) the record of a network. */
export async function saveNetworkRecord(tag: string, record: NetworkRecord): Promise<void> {
  await mkdir(NETNS_STATE_DIR, { recursive: true, mode: 0o700 });
  await writeFile(recordPath(tag), JSON.stringify(record));
}

/**
 * Kills every process still running in a namespace, then deletes it. A process left inside (a
 * server a recipe started, a remote step a lost SSH connection orphaned) would keep the namespace
 * and its links alive, anonymous, after `ip netns delete`.
 */
async function deleteNamespace(namespace: string): Promise<void> {
  const listed = await runCommand('ip', ['netns', 'pids', namespace]);
  for (const pid of listed.stdout
    .split('\n')
    .map(Number)
    .filter((n) => n > 0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ESRCH: it ended on its own meanwhile.
    }
  }
  // Deleting a namespace also deletes the veth end inside it, and with it the root end.
  await runCommand('ip', ['netns', 'delete', namespace]);
}

/** Removes everything a record lists (namespaces first, then the bridge), then the record. */
export async function removeNetwork(tag: string, record: NetworkRecord): Promise<void> {
  for (const namespace of record.namespaces) {
    await deleteNamespace(namespace);
  }
  await runCommand('ip', ['link', 'delete', record.bridge]);
  await rm(join(NETNS_STATE_DIR, `subnet-${record.subnet}`), { recursive: true, force: true });
  await rm(recordPath(tag), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: no such process, so whatever it created is a leftover.
    return false;
  }
}

/** Removes the networks of test processes that died without cleaning up (never a live run's). */
export async function removeLeftoverNetworks(): Promise<void> {
  const files = await readdir(NETNS_STATE_DIR).catch(() => [] as string[]);
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    const tag = file.slice(0, -'.json'.length);
    const text = await readFile(join(NETNS_STATE_DIR, file), 'utf8').catch(() => undefined);
    const record = text === undefined ? undefined : (JSON.parse(text) as NetworkRecord);
    if (record && !isAlive(record.pid)) {
      await removeNetwork(tag, record);
    }
  }
  await removeOrphanNamespaces();
}

/** Namespaces named `flt-<pid>-...` whose process is gone but whose record was never written. */
async function removeOrphanNamespaces(): Promise<void> {
  const listed = await runCommand('ip', ['netns', 'list']);
  for (const line of listed.stdout.split('\n')) {
    const match = /^(flt-(\d+)-\S+)/.exec(line.trim());
    if (match && !isAlive(Number(match[2]))) {
      await deleteNamespace(match[1]);
    }
  }
}
