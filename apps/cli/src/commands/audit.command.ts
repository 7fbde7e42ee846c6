import { Command } from 'commander';
import { connectToDm } from '../api/connect';
import { DEFAULT_AUDIT_LIMIT } from '../cli.constants';
import type { CliContext } from '../config/cli-context';
import { printResult } from '../output/print';
import { renderTable } from '../output/table';
import type { AuditView } from './dm-views';

interface AuditOptions {
  readonly json?: boolean;
  readonly limit: string;
  readonly action?: string;
  readonly actor?: string;
  readonly target?: string;
}

async function listAudit(context: CliContext, options: AuditOptions): Promise<void> {
  const entries = await (
    await connectToDm(context)
  ).request<AuditView[]>('GET', '/api/audit', {
    query: {
      limit: options.limit,
      action: options.action,
      actor: options.actor,
      target: options.target,
    },
  });
  printResult(context, options.json, entries, () =>
    entries.length === 0
      ? 'No audit entries\n'
      : renderTable(
          ['AT', 'ACTOR', 'ACTION', 'TARGET', 'DETAILS'],
          entries.map((entry) => [
            entry.at,
            entry.actor,
            entry.action,
            entry.target ?? '',
            Object.keys(entry.details).length === 0 ? '' : JSON.stringify(entry.details),
          ]),
        ),
  );
}

/** The `audit` subcommand: the DM's audit log, newest first. */
export function auditCommand(context: CliContext): Command {
  return new Command('audit')
    .description('Show the audit log, newest first')
    .option('--limit <n>', 'how many entries', String(DEFAULT_AUDIT_LIMIT))
    .option('--action <action>', 'only this action, e.g. agent.accept')
    .option('--actor <actor>', 'only this actor, e.g. operator:admin')
    .option('--target <target>', 'only this target, e.g. agent:web-1')
    .option('--json', 'print JSON')
    .action((options: AuditOptions) => listAudit(context, options));
}
