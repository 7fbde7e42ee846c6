import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecipeStepName } from './recipe-bundle.types';

/** Other accepted file names of a step, after `<step>.sh` (Roboconf's `install.sh`/`uninstall.sh`). */
const STEP_ALIASES: Readonly<Record<RecipeStepName, readonly string[]>> = {
  deploy: ['install.sh'],
  start: [],
  stop: [],
  undeploy: ['uninstall.sh'],
  update: [],
};

/**
 * Finds the script of a step in an unpacked bundle: `scripts/<step>.sh`, then its alias, then (as
 * Roboconf does) the first file whose name starts with the step's name. Undefined means the step
 * has no script, which is a no-op and not an error.
 */
export async function resolveStepScript(
  bundleDir: string,
  step: RecipeStepName,
): Promise<string | undefined> {
  const scriptsDir = join(bundleDir, 'scripts');
  const names = await readdir(scriptsDir).catch(() => [] as string[]);
  const candidates = [`${step}.sh`, ...STEP_ALIASES[step]];
  const exact = candidates.find((candidate) => names.includes(candidate));
  const prefixed = [...names].sort().find((name) => name.startsWith(step));
  const chosen = exact ?? prefixed;
  return chosen === undefined ? undefined : join(scriptsDir, chosen);
}
