import { DmError } from '../../errors';
import type { AgentState } from './entities/agent.entity';

/** The operator actions on an agent's trust. */
export const AGENT_ACTIONS = ['accept', 'reject', 'revoke'] as const;
/** An operator action on an agent's trust. */
export type AgentAction = (typeof AGENT_ACTIONS)[number];

/** The trust state machine as data: each action, the states it applies to, and where it leads. */
export const AGENT_TRANSITIONS: Readonly<
  Record<AgentAction, { readonly from: readonly AgentState[]; readonly to: AgentState }>
> = {
  accept: { from: ['pending'], to: 'trusted' },
  reject: { from: ['pending'], to: 'rejected' },
  revoke: { from: ['trusted'], to: 'revoked' },
};

/**
 * The state an action leads to from the current one.
 * @throws DmError ILLEGAL_TRANSITION naming the agent, its state and the action.
 */
export function nextAgentState(name: string, current: AgentState, action: AgentAction): AgentState {
  const transition = AGENT_TRANSITIONS[action];
  if (!transition.from.includes(current)) {
    throw new DmError(
      'ILLEGAL_TRANSITION',
      `Agent ${name} is ${current}; ${action} applies only to ${transition.from.join(' or ')} agents`,
      { agent: name, state: current, action },
    );
  }
  return transition.to;
}
