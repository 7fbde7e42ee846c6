import {
  ancestorExports,
  resolveImports,
  type ApplicationSnapshot,
  type InstanceDefinition,
} from '@flotilla/model';
import type { StepRunPayload } from '@flotilla/protocol';
import type { ApplicationState } from './application-state';
import type { StepCommand } from './commands.repository';
import { STEP_TIMEOUT_MS } from './deployments.constants';

/** The bundle a step names, when its component has recipes. */
export type BundleRef = NonNullable<StepRunPayload['bundle']>;

/**
 * Builds the `dm.step.run.v1` payload of a command from the application's current snapshot: the
 * instance's exports (and which random ports the agent must pick), its resolved imports from the
 * started exporters, its ancestors' exports, and the import change of an update.
 */
export function buildStepRun(
  state: ApplicationState,
  command: StepCommand,
  bundle: BundleRef | undefined,
): StepRunPayload {
  const { snapshot } = state;
  const instance = definitionAt(snapshot, command.instancePath);
  const component = snapshot.graph.components[instance.component];
  const exports = { ...(snapshot.exports[instance.path] ?? {}) };
  const randomPorts = (component?.exports ?? [])
    .filter((variable) => variable.random === 'port' && exports[variable.name] === undefined)
    .map((variable) => variable.name);
  return {
    jobId: command.jobId,
    attempt: command.attempt,
    application: state.name,
    instance: {
      name: instance.name,
      path: instance.path,
      component: instance.component,
      installer: component?.installer ?? 'script',
    },
    step: command.step,
    ...(bundle === undefined ? {} : { bundle }),
    exports,
    randomPorts,
    imports: importsOf(snapshot, instance.path),
    ancestors: ancestorExports(snapshot.instances, snapshot.exports, instance.path).map(
      (ancestor) => ({ component: ancestor.component, variables: { ...ancestor.values } }),
    ),
    ...importChangeOf(command),
    timeoutMs: STEP_TIMEOUT_MS,
  };
}

function importChangeOf(command: StepCommand): Pick<StepRunPayload, 'importChange'> {
  const change = command.details.importChange;
  if (change === undefined) {
    return {};
  }
  return {
    importChange: {
      status: change.updateStatus,
      instancePath: pathWithinApplication(change.exporterPath),
      component: change.component,
      variables: { ...change.variables },
    },
  };
}

/** Per snapshot, every instance's resolved imports: a dispatch pass builds many commands from one. */
const resolutions = new WeakMap<ApplicationSnapshot, ReturnType<typeof resolveImports>>();

function resolutionOf(snapshot: ApplicationSnapshot): ReturnType<typeof resolveImports> {
  let resolution = resolutions.get(snapshot);
  if (resolution === undefined) {
    const startedPaths = new Set(
      Object.entries(snapshot.runtime)
        .filter(([, runtime]) => runtime.state === 'deployed_started')
        .map(([instancePath]) => instancePath),
    );
    resolution = resolveImports({
      graph: snapshot.graph,
      instances: snapshot.instances,
      startedPaths,
      exports: snapshot.exports,
      ...(snapshot.external === undefined ? {} : { external: snapshot.external }),
    });
    resolutions.set(snapshot, resolution);
  }
  return resolution;
}

function importsOf(snapshot: ApplicationSnapshot, path: string): StepRunPayload['imports'] {
  const resolution = resolutionOf(snapshot);
  const imports: StepRunPayload['imports'] = {};
  for (const [prefix, resolved] of Object.entries(resolution[path]?.byPrefix ?? {})) {
    imports[prefix] = resolved.map((entry) => ({
      instancePath: pathWithinApplication(entry.exporterPath),
      variables: { ...entry.variables },
    }));
  }
  return imports;
}

/**
 * An exporter's instance path as recipes see it: an external exporter (`<application>:/vm/db`)
 * is named by its path within its own application, as Roboconf does.
 */
function pathWithinApplication(exporterPath: string): string {
  return exporterPath.startsWith('/')
    ? exporterPath
    : exporterPath.slice(exporterPath.indexOf(':/') + 1);
}

/** Per instance list (shared by the snapshots of one engine), its instances by path. */
const definitions = new WeakMap<
  readonly InstanceDefinition[],
  ReadonlyMap<string, InstanceDefinition>
>();

function definitionAt(snapshot: ApplicationSnapshot, path: string): InstanceDefinition {
  let byPath = definitions.get(snapshot.instances);
  if (byPath === undefined) {
    byPath = new Map(snapshot.instances.map((entry) => [entry.path, entry]));
    definitions.set(snapshot.instances, byPath);
  }
  const instance = byPath.get(path);
  if (instance === undefined) {
    throw new Error(`instance ${path} is no longer in the application`);
  }
  return instance;
}
