import { readdir, readFile } from 'node:fs/promises';

/**
 * Pids of the live (non-zombie) processes whose process group is `pgid`, read from /proc.
 * Zombies are left out: they hold no resources and whoever adopted them reaps them.
 */
export async function listProcessGroup(pgid: number): Promise<number[]> {
  const entries = await readdir('/proc');
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const group = Number(fields[2]);
    if (group === pgid && state !== 'Z' && state !== 'X') {
      members.push(Number(entry));
    }
  }
  return members;
}

/** Sends `signal` to every process of the group; a group that is already gone is not an error. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error: unknown) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) {
      throw error;
    }
  }
}

/** Resolves once the group has no live member, or after `graceMs`; returns true when it emptied. */
export async function waitForEmptyGroup(pgid: number, graceMs: number): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    if ((await listProcessGroup(pgid)).length === 0) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left after `graceMs`. */
export async function terminateProcessGroup(pgid: number, graceMs: number): Promise<void> {
  signalProcessGroup(pgid, 'SIGTERM');
  if (!(await waitForEmptyGroup(pgid, graceMs))) {
    signalProcessGroup(pgid, 'SIGKILL');
    await waitForEmptyGroup(pgid, graceMs);
  }
}
