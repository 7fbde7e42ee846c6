import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { runChecked, runCommand } from '../../../test/support/netns';

/**
 * A throwaway system user's name, `flt-<tag><pid>-<hex>`: the pid lets a later run remove the user
 * of a run that crashed before its clean-up (`removeUsersOfDeadRuns`).
 */
export function throwawayUserName(tag: string): string {
  return `flt-${tag}${process.pid}-${randomBytes(2).toString('hex')}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: the process that created the user is gone.
    return false;
  }
}

/** Deletes the `flt-<tag><pid>-*` users whose test process is gone (a crashed run's). */
export async function removeUsersOfDeadRuns(tag: string): Promise<void> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const pattern = new RegExp(`^(flt-${tag}(\\d+)-[0-9a-f]+):`);
  for (const line of passwd.split('\n')) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined && !isRunning(Number(match[2]))) {
      await runCommand('userdel', [match[1]]);
    }
  }
}

/**
 * Creates throwaway user `name` (`throwawayUserName(tag)`: a system user without a home, shell
 * /bin/sh) who logs in with `password`, after removing the users of dead runs of `tag`.
 */
export async function createPasswordUser(
  tag: string,
  name: string,
  password: string,
): Promise<void> {
  await removeUsersOfDeadRuns(tag);
  const hash = (await runChecked('openssl', ['passwd', '-6', password])).trim();
  await runChecked('useradd', [
    '--system',
    '--no-create-home',
    '--shell',
    '/bin/sh',
    '--password',
    hash,
    name,
  ]);
}
