import { dirname } from 'node:path';
import { DEFAULT_STEP_PATH, INHERITED_ENVIRONMENT_ALLOWLIST } from '../recipes.constants';
import {
  cleanInstancePath,
  cleanReversedInstancePath,
  shortVariableName,
} from './instance-path-names';
import type { StepEnvironmentInput } from './step-environment.types';

type Env = Record<string, string>;

/**
 * Builds the complete environment of a recipe step, named exactly as Roboconf's script plugin
 * names its variables (so Roboconf recipes run unchanged), plus `FLOTILLA_*` variables and the
 * allowlisted part of the agent's environment. Later groups win over earlier ones:
 * inherited, own exports, ancestors' exports, imports, `ROBOCONF_*`, `FLOTILLA_*`.
 */
export function buildStepEnvironment(input: StepEnvironmentInput): Env {
  return {
    ...inheritedVariables(input),
    ...exportVariables(input.exports, ''),
    ...ancestorVariables(input),
    ...importVariables(input),
    ...roboconfVariables(input),
    ...importChangeVariables(input),
    ...flotillaVariables(input),
  };
}

function inheritedVariables(input: StepEnvironmentInput): Env {
  const env: Env = {};
  for (const name of INHERITED_ENVIRONMENT_ALLOWLIST) {
    const value = input.inherited[name];
    if (value !== undefined) {
      env[name] = value;
    }
  }
  if (input.home !== undefined) {
    env.HOME = input.home;
  }
  return env;
}

function exportVariables(variables: Readonly<Record<string, string>>, prefix: string): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(variables)) {
    env[prefix + shortVariableName(name)] = value;
  }
  return env;
}

function ancestorVariables(input: StepEnvironmentInput): Env {
  const env: Env = {};
  // Farthest first so that, as in Roboconf, the nearest ancestor's value is the one kept.
  for (const ancestor of [...input.ancestors].reverse()) {
    Object.assign(env, exportVariables(ancestor.variables, `ANCESTOR_${ancestor.component}_`));
  }
  return env;
}

function importVariables(input: StepEnvironmentInput): Env {
  const env: Env = {};
  for (const [prefix, instances] of Object.entries(input.imports)) {
    env[`${prefix}_size`] = String(instances.length);
    instances.forEach((instance, index) => {
      env[`${prefix}_${index}_name`] = instance.instancePath;
      Object.assign(env, exportVariables(instance.variables, `${prefix}_${index}_`));
    });
  }
  return env;
}

function roboconfVariables(input: StepEnvironmentInput): Env {
  return {
    ROBOCONF_INSTANCE_NAME: input.instanceName,
    ROBOCONF_INSTANCE_PATH: input.instancePath,
    ROBOCONF_COMPONENT_NAME: input.component,
    ROBOCONF_CLEAN_INSTANCE_PATH: cleanInstancePath(input.instancePath),
    ROBOCONF_CLEAN_REVERSED_INSTANCE_PATH: cleanReversedInstancePath(input.instancePath),
    ROBOCONF_FILES_DIR: input.filesDir,
  };
}

/** The update variables, including `ROBOCONF_IMPORT_CHANGED_<var>` that Roboconf documents but drops. */
function importChangeVariables(input: StepEnvironmentInput): Env {
  const change = input.importChange;
  if (!change) {
    return {};
  }
  return {
    ROBOCONF_UPDATE_STATUS: change.status,
    ROBOCONF_IMPORT_CHANGED_INSTANCE_PATH: change.instancePath,
    ROBOCONF_IMPORT_CHANGED_COMPONENT: change.component,
    ...exportVariables(change.variables, 'ROBOCONF_IMPORT_CHANGED_'),
  };
}

function flotillaVariables(input: StepEnvironmentInput): Env {
  const env: Env = {
    FLOTILLA_AGENT_NAME: input.agentName,
    FLOTILLA_APPLICATION_NAME: input.application,
  };
  const basePath = input.inherited.PATH ?? DEFAULT_STEP_PATH;
  if (input.firewallHelperPath !== undefined) {
    env.FLOTILLA_FW = input.firewallHelperPath;
    env.PATH = `${dirname(input.firewallHelperPath)}:${basePath}`;
  } else {
    env.PATH = basePath;
  }
  if (input.firewallSocketPath !== undefined) {
    env.FLOTILLA_FW_SOCKET = input.firewallSocketPath;
  }
  return env;
}
