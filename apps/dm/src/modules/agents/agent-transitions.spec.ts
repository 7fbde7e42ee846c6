import { expect } from 'chai';
import { DmError } from '../../errors';
import { AGENT_ACTIONS, nextAgentState } from './agent-transitions';
import { AGENT_STATES, type AgentState } from './entities/agent.entity';
import type { AgentAction } from './agent-transitions';

const EXPECTED: Record<AgentAction, Partial<Record<AgentState, AgentState>>> = {
  accept: { pending: 'trusted' },
  reject: { pending: 'rejected' },
  revoke: { trusted: 'revoked' },
};

describe(nextAgentState.name, () => {
  for (const action of AGENT_ACTIONS) {
    for (const state of AGENT_STATES) {
      const target = EXPECTED[action][state];
      if (target) {
        it(`should lead from ${state} to ${target} when the action is ${action}`, () => {
          expect(nextAgentState('web-1', state, action)).to.equal(target);
        });
      } else {
        it(`should refuse ${action} naming the agent and state when it is ${state}`, () => {
          let caught: unknown;
          try {
            nextAgentState('web-1', state, action);
          } catch (error: unknown) {
            caught = error;
          }
          expect(caught).to.be.instanceOf(DmError);
          expect((caught as DmError).code).to.equal('ILLEGAL_TRANSITION');
          expect((caught as DmError).message)
            .to.contain('web-1')
            .and.contain(state);
        });
      }
    }
  }
});
