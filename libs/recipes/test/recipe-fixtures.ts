import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepEnvironmentInput } from '@flotilla/recipes';

/** Writes an executable shell script into `dir` and returns its path. */
export async function writeScript(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** A minimal step environment for an instance `/vm/<name>` of component `App`. */
export function environmentFor(
  name: string,
  filesDir: string,
): Omit<StepEnvironmentInput, 'firewallHelperPath' | 'firewallSocketPath'> {
  return {
    instanceName: name,
    instancePath: `/vm/${name}`,
    component: 'App',
    application: 'test-app',
    exports: {},
    imports: {},
    ancestors: [],
    filesDir,
    agentName: 'test-agent',
    inherited: { PATH: process.env.PATH },
  };
}

/** Path of a fixture file of this test folder. */
export function fixturePath(name: string): string {
  return join(__dirname, 'fixtures', name);
}
