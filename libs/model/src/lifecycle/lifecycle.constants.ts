/**
 * The vocabulary of the instance lifecycle, declared as data: Roboconf's ten states, which are
 * stable, which a user may request, the events that move an instance, and the step kinds an agent
 * runs (one recipe script each).
 */

/** Every state an instance can be in, in Roboconf's order. */
export const INSTANCE_STATES = [
  'not_deployed',
  'deploying',
  'deployed_stopped',
  'unresolved',
  'waiting_for_ancestor',
  'starting',
  'deployed_started',
  'stopping',
  'undeploying',
  'problem',
] as const;

/** A state of an instance. */
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** The states an instance can rest in; the others only last while a step runs (or, `problem`, until a human acts). */
export const STABLE_STATES: readonly InstanceState[] = [
  'not_deployed',
  'deployed_stopped',
  'unresolved',
  'waiting_for_ancestor',
  'deployed_started',
];

/** The only states a user may request. */
export const REQUESTABLE_STATES = ['not_deployed', 'deployed_stopped', 'deployed_started'] as const;

/** A state a user may request. */
export type RequestableState = (typeof REQUESTABLE_STATES)[number];

/** The recipe steps an agent runs (`deploy.sh`, `start.sh`, ...). */
export const STEP_KINDS = ['deploy', 'start', 'stop', 'undeploy', 'update'] as const;

/** A recipe step. */
export type StepKind = (typeof STEP_KINDS)[number];

/** Every event that moves an instance from one state to another (see `TRANSITIONS`). */
export const LIFECYCLE_EVENTS = [
  'deploy',
  'deploy-succeeded',
  'deploy-failed',
  'start',
  'start-succeeded',
  'start-failed',
  'stop',
  'stop-succeeded',
  'stop-failed',
  'undeploy',
  'undeploy-succeeded',
  'undeploy-failed',
  'update',
  'update-succeeded',
  'update-failed',
  'imports-missing',
  'imports-lost',
  'ancestor-not-started',
  'ancestor-stopped',
  'start-cancelled',
  'agent-lost',
  'agent-alive',
] as const;

/** An event of the lifecycle: a step issued, a step's outcome, or a change decided from the surroundings. */
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** The number of characters of a failed step's output kept in its failure record. */
export const FAILURE_LOG_TAIL_MAX_CHARS = 4000;

/** Rounds of the planner's simulation per instance before it gives up (a guard against a rule loop). */
export const PLANNER_MAX_ROUNDS_PER_INSTANCE = 8;

/** The rank of each requestable state, to compare how far "up" a request goes. */
export const REQUESTABLE_RANK: Readonly<Record<RequestableState, number>> = {
  not_deployed: 0,
  deployed_stopped: 1,
  deployed_started: 2,
};
