import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { PRIVATE_STATE_DIR_MODE, PRIVATE_STATE_FILE_MODE } from '../agent.constants';

/** Reads and validates a JSON state file; undefined when it does not exist. Names the file on error. */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new Error(`${path}: not valid JSON (${String(error)})`, { cause: error });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `${path}: field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return result.data;
}

/** Writes a JSON state file atomically (write, fsync by rename) with owner-only permissions. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_STATE_DIR_MODE });
  const staging = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(staging, `${JSON.stringify(value, null, 2)}\n`, {
      mode: PRIVATE_STATE_FILE_MODE,
      flush: true,
    });
    await rename(staging, path);
  } catch (error: unknown) {
    await rm(staging, { force: true }); // renamed away on success: only a failure leaves it
    throw error;
  }
}
