import type { InstanceState, LifecycleEvent } from './lifecycle.constants';

/** The target of a failure event: back to the stable state the instance left when the step began. */
export const PREVIOUS_STABLE_STATE = 'previous-stable-state';

/** One row of the transition table: an event moves an instance from any of `from` to `to`. */
export interface TransitionRule {
  readonly event: LifecycleEvent;
  readonly from: readonly InstanceState[];
  readonly to: InstanceState | typeof PREVIOUS_STABLE_STATE;
  /** For `to: PREVIOUS_STABLE_STATE`: the stable states the instance may go back to. */
  readonly revertsTo?: readonly InstanceState[];
  /** Why this transition exists, for the documentation and error messages. */
  readonly reason: string;
}

const DEPLOYED_RESTING: readonly InstanceState[] = [
  'deployed_stopped',
  'unresolved',
  'waiting_for_ancestor',
];

/** The instance lifecycle as data: every legal transition, one rule per event. */
export const TRANSITIONS: readonly TransitionRule[] = [
  { event: 'deploy', from: ['not_deployed'], to: 'deploying', reason: 'deploy.sh begins' },
  {
    event: 'deploy-succeeded',
    from: ['deploying'],
    to: 'deployed_stopped',
    reason: 'deploy.sh exited 0',
  },
  {
    event: 'deploy-failed',
    from: ['deploying'],
    to: PREVIOUS_STABLE_STATE,
    revertsTo: ['not_deployed'],
    reason: 'deploy.sh failed',
  },
  { event: 'start', from: DEPLOYED_RESTING, to: 'starting', reason: 'start.sh begins' },
  {
    event: 'start-succeeded',
    from: ['starting'],
    to: 'deployed_started',
    reason: 'start.sh exited 0',
  },
  {
    event: 'start-failed',
    from: ['starting'],
    to: PREVIOUS_STABLE_STATE,
    revertsTo: DEPLOYED_RESTING,
    reason: 'start.sh failed',
  },
  {
    event: 'stop',
    from: ['deployed_started'],
    to: 'stopping',
    reason: 'stop.sh begins (requested)',
  },
  {
    event: 'imports-lost',
    from: ['deployed_started'],
    to: 'stopping',
    reason: 'stop.sh begins: a mandatory import has no started exporter any more',
  },
  {
    event: 'ancestor-stopped',
    from: ['deployed_started'],
    to: 'stopping',
    reason: 'stop.sh begins: the parent is stopping or stopped',
  },
  {
    event: 'stop-succeeded',
    from: ['stopping'],
    to: 'deployed_stopped',
    reason: 'stop.sh exited 0',
  },
  {
    event: 'stop-failed',
    from: ['stopping'],
    to: PREVIOUS_STABLE_STATE,
    revertsTo: ['deployed_started'],
    reason: 'stop.sh failed',
  },
  {
    event: 'undeploy',
    from: [...DEPLOYED_RESTING, 'problem'],
    to: 'undeploying',
    reason: 'undeploy.sh begins',
  },
  {
    event: 'undeploy-succeeded',
    from: ['undeploying'],
    to: 'not_deployed',
    reason: 'undeploy.sh exited 0',
  },
  {
    event: 'undeploy-failed',
    from: ['undeploying'],
    to: PREVIOUS_STABLE_STATE,
    revertsTo: [...DEPLOYED_RESTING, 'problem'],
    reason: 'undeploy.sh failed',
  },
  {
    event: 'update',
    from: ['deployed_started'],
    to: 'deployed_started',
    reason: 'update.sh begins',
  },
  {
    event: 'update-succeeded',
    from: ['deployed_started'],
    to: 'deployed_started',
    reason: 'update.sh exited 0',
  },
  {
    event: 'update-failed',
    from: ['deployed_started'],
    to: 'deployed_started',
    reason: 'update.sh failed',
  },
  {
    event: 'imports-missing',
    from: ['deployed_stopped', 'waiting_for_ancestor'],
    to: 'unresolved',
    reason: 'start wanted, but a mandatory import has no started exporter',
  },
  {
    event: 'ancestor-not-started',
    from: ['deployed_stopped', 'unresolved'],
    to: 'waiting_for_ancestor',
    reason: 'start wanted, but the parent is not started',
  },
  {
    event: 'start-cancelled',
    from: ['unresolved', 'waiting_for_ancestor'],
    to: 'deployed_stopped',
    reason: 'stop requested while waiting to start: no script runs',
  },
  {
    event: 'agent-lost',
    from: [
      ...DEPLOYED_RESTING,
      'deploying',
      'starting',
      'deployed_started',
      'stopping',
      'undeploying',
    ],
    to: 'problem',
    reason: 'the agent of the instance stopped answering',
  },
  {
    event: 'agent-alive',
    from: ['problem'],
    to: 'deployed_started',
    reason: 'the agent answers again',
  },
];
