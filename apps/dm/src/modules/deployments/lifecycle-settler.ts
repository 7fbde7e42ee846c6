import {
  react,
  type AppliedTransition,
  type ApplicationSnapshot,
  type LifecycleInput,
  type LifecycleStep,
} from '@flotilla/model';

/** The TARGET installer: roots that stand for hosts; their steps are the DM's business. */
const TARGET_INSTALLER = 'target';

/** What an input led to once the DM's own steps are done: new snapshot, changes, agents' steps. */
export interface SettledReaction {
  readonly snapshot: ApplicationSnapshot;
  readonly transitions: readonly AppliedTransition[];
  readonly agentSteps: readonly LifecycleStep[];
}

/**
 * Applies one input with the model's reactor, then completes the steps of `target` roots at once
 * (an agent's host needs no script to be "deployed" or "started"), reacting to each, until only
 * agents' steps remain.
 */
export function settle(snapshot: ApplicationSnapshot, input: LifecycleInput): SettledReaction {
  let reaction = react(snapshot, input);
  const transitions = [...reaction.transitions];
  const agentSteps: LifecycleStep[] = [];
  const pending = [...reaction.steps];
  for (let step = pending.shift(); step !== undefined; step = pending.shift()) {
    if (step.installer !== TARGET_INSTALLER) {
      agentSteps.push(step);
      continue;
    }
    reaction = react(reaction.application, {
      type: 'step-succeeded',
      instancePath: step.instancePath,
      step: step.kind,
    });
    transitions.push(...reaction.transitions);
    pending.push(...reaction.steps);
  }
  return { snapshot: reaction.application, transitions, agentSteps };
}
