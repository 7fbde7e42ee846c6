import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RecipeError } from '../errors';
import type { StepUser } from './step-result';

const execFileAsync = promisify(execFile);

/**
 * Resolves a user name (or numeric uid) to its ids and home through `getent passwd`, which also
 * sees NSS users (LDAP, sssd) that /etc/passwd alone would miss.
 * @throws RecipeError USER_UNKNOWN when no such user exists.
 */
export async function resolveStepUser(nameOrUid: string): Promise<StepUser> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('getent', ['passwd', nameOrUid]));
  } catch (error: unknown) {
    throw new RecipeError(
      'USER_UNKNOWN',
      `Unknown recipe user "${nameOrUid}" (getent passwd)`,
      {
        field: 'user',
      },
      { cause: error },
    );
  }
  const [name, , uid, gid, , home] = stdout.trim().split('\n')[0].split(':');
  return { name, uid: Number(uid), gid: Number(gid), home };
}
