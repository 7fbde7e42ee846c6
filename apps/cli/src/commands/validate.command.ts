import { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  formatDiagnostic,
  hasErrors,
  loadGraph,
  loadInstances,
  loadTemplate,
  type Diagnostic,
} from '@flotilla/model';

/** Where `flotilla validate` writes: stdout for the report, stderr for failures to run at all. */
export interface ValidateStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** What was validated and what was found. */
export interface ValidateReport {
  readonly path: string;
  readonly kind: 'template' | 'graph' | 'instances';
  readonly valid: boolean;
  readonly name?: string;
  readonly version?: string;
  readonly components: number;
  readonly facets: number;
  readonly instances: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** Validates a template directory or archive, a `.graph` file or an `.instances` file, offline. */
export async function validatePath(path: string): Promise<ValidateReport> {
  if (path.endsWith('.graph')) {
    const { graph, diagnostics } = loadGraph(path, { displayRoot: dirname(path) });
    const components = Object.keys(graph.components).length;
    return summarize(path, 'graph', diagnostics, { components, facets: graph.facets.length });
  }
  if (path.endsWith('.instances')) {
    const { instances, diagnostics } = loadInstances(path, { displayRoot: dirname(path) });
    return summarize(path, 'instances', diagnostics, { instances: instances.length });
  }
  const result = await loadTemplate(path);
  if (result.extractedTo) {
    await rm(result.extractedTo, { recursive: true, force: true });
  }
  const template = result.template;
  return summarize(path, 'template', result.diagnostics, {
    ...(template ? { name: template.name } : {}),
    ...(template?.version ? { version: template.version } : {}),
    components: template ? Object.keys(template.graph.components).length : 0,
    facets: template?.graph.facets.length ?? 0,
    instances: template?.instances.length ?? 0,
  });
}

function summarize(
  path: string,
  kind: ValidateReport['kind'],
  diagnostics: readonly Diagnostic[],
  counts: Partial<Pick<ValidateReport, 'name' | 'version' | 'components' | 'facets' | 'instances'>>,
): ValidateReport {
  return {
    path,
    kind,
    valid: !hasErrors(diagnostics),
    components: 0,
    facets: 0,
    instances: 0,
    ...counts,
    diagnostics,
  };
}

function summaryLine(report: ValidateReport): string {
  const errors = report.diagnostics.filter((item) => item.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  const plural = (count: number, word: string): string =>
    `${count} ${word}${count === 1 ? '' : 's'}`;
  if (!report.valid) {
    return `${report.path}: invalid ${report.kind}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  }
  const title = report.name ? ` '${report.name}'${report.version ? ` ${report.version}` : ''}` : '';
  const counts =
    report.kind === 'instances'
      ? plural(report.instances, 'instance')
      : `${plural(report.components, 'component')}, ${plural(report.facets, 'facet')}${report.kind === 'template' ? `, ${plural(report.instances, 'instance')}` : ''}`;
  return `valid ${report.kind}${title}: ${counts}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`;
}

function toJson(report: ValidateReport): string {
  const diagnostics = report.diagnostics.map((item) => ({
    severity: item.severity,
    code: item.code,
    message: item.message,
    ...(item.position
      ? { file: item.position.file, line: item.position.line, column: item.position.column }
      : {}),
    text: formatDiagnostic(item),
  }));
  return `${JSON.stringify({ ...report, diagnostics }, null, 2)}\n`;
}

/**
 * Runs `flotilla validate PATH [--json]`: prints every diagnostic as `file:line:column: message`
 * (or the report as JSON) and returns the exit code, 1 when there is any error.
 */
export async function runValidate(
  path: string,
  options: { readonly json?: boolean },
  streams: ValidateStreams,
): Promise<number> {
  let report: ValidateReport;
  try {
    report = await validatePath(path);
  } catch (error: unknown) {
    // Loaders report problems as diagnostics; reaching here means the machine itself failed (EIO...).
    streams.stderr.write(
      `flotilla validate: cannot validate ${path}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  if (options.json) {
    streams.stdout.write(toJson(report));
  } else {
    for (const diagnostic of report.diagnostics) {
      streams.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
    }
    streams.stdout.write(`${summaryLine(report)}\n`);
  }
  return report.valid ? 0 : 1;
}

/** The `validate` subcommand. */
export function validateCommand(): Command {
  return new Command('validate')
    .description(
      'Check a Roboconf template (directory or .zip/.tar/.tar.gz archive), .graph or .instances file offline',
    )
    .argument('<path>', 'template directory, archive, graph file or instances file')
    .option('--json', 'print the report as JSON')
    .action(async (path: string, options: { json?: boolean }) => {
      process.exitCode = await runValidate(path, options, {
        stdout: process.stdout,
        stderr: process.stderr,
      });
    });
}
