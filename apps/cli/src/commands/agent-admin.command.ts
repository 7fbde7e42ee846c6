import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import { CliError } from '../cli-error';
import type { CliContext } from '../config/cli-context';
import { confirm } from '../config/confirm-prompt';
import { Painter, toneOfState } from '../output/colours';
import { printResult } from '../output/print';
import { renderTable } from '../output/table';
import type { AgentView } from './dm-views';

type Decision = 'accept' | 'reject' | 'revoke';

function hostSummary(facts: Readonly<Record<string, unknown>>): string {
  return Object.entries(facts)
    .filter(([, value]) => typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

async function listAgents(context: CliContext, options: { json?: boolean }): Promise<void> {
  const agents = await (await connectToDm(context)).request<AgentView[]>('GET', '/api/agents');
  const painter = new Painter(context.stdout, context.env);
  printResult(context, options.json, agents, () =>
    agents.length === 0
      ? 'No agents\n'
      : renderTable(
          ['NAME', 'STATE', 'THUMBPRINT', 'LAST SEEN', 'HOST'],
          agents.map((agent) => {
            const state = agent.isLost ? `${agent.state} (lost)` : agent.state;
            return [
              agent.name,
              painter.paint(toneOfState(state), state),
              agent.thumbprint,
              agent.lastSeenAt ?? 'never',
              hostSummary(agent.hostFacts),
            ];
          }),
        ),
  );
}

async function decide(
  context: CliContext,
  decision: Decision,
  name: string,
  options: { json?: boolean; yes?: boolean },
): Promise<void> {
  if (decision === 'revoke' && options.yes !== true) {
    const isConfirmed = await confirm(
      context,
      `Revoke agent ${name}? It will no longer be obeyed or trusted.`,
    );
    if (!isConfirmed) {
      throw new CliError('ABORTED', `Agent ${name} was not revoked`);
    }
  }
  const agent = await (
    await connectToDm(context)
  ).request<AgentView>('POST', `/api/agents/${encodeURIComponent(name)}/${decision}`);
  printResult(context, options.json, agent, () => `Agent ${agent.name} is now ${agent.state}\n`);
}

/**
 * Adds `ls`, `accept`, `reject` and `revoke` to the `flotilla agent` command (which, without a
 * subcommand, runs an agent): one `agent` word for everything about agents.
 */
export function addAgentAdminCommands(agent: Command, context: CliContext): Command {
  agent
    .command('ls')
    .description('List the agents with their full thumbprints (compare before accepting)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => listAgents(context, options));
  const descriptions: Readonly<Record<Decision, string>> = {
    accept: 'Trust a pending agent (compare its thumbprint first)',
    reject: 'Refuse a pending agent',
    revoke: 'Stop trusting an accepted agent (asks for confirmation)',
  };
  for (const decision of ['accept', 'reject', 'revoke'] as const) {
    const command = agent
      .command(decision)
      .description(descriptions[decision])
      .argument('<name>', 'agent name')
      .option('--json', 'print the agent as JSON');
    if (decision === 'revoke') {
      command.option('--yes', 'do not ask for confirmation');
    }
    command.action((name: string, options: { json?: boolean; yes?: boolean }) =>
      decide(context, decision, name, options),
    );
  }
  return agent;
}
