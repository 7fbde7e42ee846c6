import { InstanceTree } from './instance-tree';
import type { ApplicationSnapshot } from './lifecycle.types';
import { resolveInstanceImports } from './snapshot-imports';

/**
 * Why an instance is not where its user wants it, as one sentence for the console and the CLI, or
 * undefined when there is nothing to explain (it is in its desired state, or a step is running).
 * @throws LifecycleError `UNKNOWN_INSTANCE` for an unknown path.
 */
export function explainWaiting(application: ApplicationSnapshot, path: string): string | undefined {
  const tree = new InstanceTree(application.instances);
  const instance = tree.get(path);
  const runtime = application.runtime[path];
  if (runtime?.failure !== undefined) {
    const { step, exitCode, at } = runtime.failure;
    return `${path}: ${step} failed (exit code ${exitCode ?? 'none'}) at ${at}; request it again to retry`;
  }
  const parent = tree.parentOf(path);
  if (runtime?.state === 'waiting_for_ancestor') {
    const parentState = (parent && application.runtime[parent.path]?.state) ?? 'not_deployed';
    return `${path} waits for its parent ${parent?.path ?? '(none)'} to be started (it is ${parentState})`;
  }
  if (runtime?.state === 'unresolved') {
    const missing = resolveInstanceImports(application, instance.path)?.missingPrefixes ?? [];
    return `${path} waits for a started instance of ${missing.join(', ')} to import from`;
  }
  return runtime?.state === 'problem' ? `${path}: its agent does not answer` : undefined;
}
