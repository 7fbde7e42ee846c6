import { setTimeout as delay } from 'node:timers/promises';
import type { DmClient } from '../api/dm-client';
import { CliError } from '../cli-error';
import type { AgentView } from '../commands/dm-views';
import { ENROLL_POLL_INTERVAL_MS } from './agent-install.constants';

/** The DM's answer to a pre-registration (`POST /api/agents/preregistrations`). */
export interface PreregistrationView {
  readonly outcome: 'registered' | 'unchanged' | 'accepted';
  readonly agent: AgentView;
  readonly dm: { readonly thumbprint: string; readonly brokerNamespace?: string };
}

/** Records the agent's thumbprint with the DM, which trusts it at its first enrollment. */
export function preregisterAgent(
  dm: DmClient,
  name: string,
  thumbprint: string,
): Promise<PreregistrationView> {
  return dm.request<PreregistrationView>('POST', '/api/agents/preregistrations', {
    json: { name, thumbprint },
  });
}

/**
 * Waits until the DM sees agent `name` after it was (re)started: trusted, and last seen later
 * than when this wait began (read at once: the old agent is stopped by then, so a change can
 * only come from the new one, by its enrollment or its first heartbeat).
 * @throws CliError WAIT_TIMEOUT after `timeoutSeconds`, with `describeFailure()` appended.
 */
export async function waitForEnrollment(
  dm: DmClient,
  name: string,
  timeoutSeconds: number,
  describeFailure: () => Promise<string>,
): Promise<AgentView> {
  const path = `/api/agents/${encodeURIComponent(name)}`;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const seenBefore = (await dm.request<AgentView>('GET', path)).lastSeenAt;
  for (;;) {
    const agent = await dm.request<AgentView>('GET', path);
    if (agent.state === 'trusted' && agent.lastSeenAt !== null && agent.lastSeenAt !== seenBefore) {
      return agent;
    }
    if (Date.now() > deadline) {
      throw new CliError(
        'WAIT_TIMEOUT',
        `Agent ${name} did not enroll within ${timeoutSeconds} s (state ${agent.state}, last seen ${agent.lastSeenAt ?? 'never'}). Its last log lines:\n${await describeFailure()}`,
      );
    }
    await delay(ENROLL_POLL_INTERVAL_MS);
  }
}
