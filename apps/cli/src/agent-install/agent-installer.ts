import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectSsh, formatSshTarget, SshError, type SshTarget } from '@flotilla/recipes';
import type { DmClient } from '../api/dm-client';
import { CliError } from '../cli-error';
import type { CliOutput } from '../config/cli-context';
import { AGENT_UNIT_SOURCE } from './agent-install.constants';
import { buildAgentPackage } from './agent-package';
import { preregisterAgent, waitForEnrollment, type PreregistrationView } from './dm-registration';
import { checkStartable, probeHost, type HostFacts } from './host-probe';
import { InstallLayout, renderAgentEnv, renderAgentUnit } from './install-layout';
import { InstallProgress } from './install-progress';
import { createRemoteIdentity, unpackAgent, writeRemoteEnvFile } from './remote-agent-files';
import {
  agentLogTail,
  startDirectly,
  startWithSystemd,
  type StartMode,
} from './remote-agent-service';
import { RemoteHost } from './remote-host';

/** What `flotilla agent install` was asked to do. */
export interface AgentInstallRequest {
  readonly target: SshTarget;
  /** The agent's name; the host's hostname when absent. */
  readonly name?: string;
  /** The broker URL with enrollment credentials, as the agent will reach it. */
  readonly brokerUrl: string;
  readonly firewall?: string;
  /** Installs under this directory instead of / (tests, unprivileged trials). */
  readonly prefix: string;
  /** False forces the direct start even where systemd runs. */
  readonly isSystemdAllowed: boolean;
  readonly waitSeconds: number;
}

/** What the install did, as printed at its end. */
export interface AgentInstallResult {
  readonly name: string;
  readonly thumbprint: string;
  readonly mode: StartMode;
  readonly preregistration: PreregistrationView['outcome'];
}

const STEP_COUNT = 9;
const BYTES_PER_MIB = 1024 * 1024;
const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Installs an agent over SSH in one command (Octopus' install-time thumbprint exchange): pinned
 * host key, Node check, the agent package, its identity made on the host, pre-registration with
 * the DM, its settings with the DM's thumbprint, systemd or a direct start, and its enrollment.
 */
export class AgentInstaller {
  private readonly progress: InstallProgress;

  constructor(
    private readonly dm: DmClient,
    output: CliOutput,
  ) {
    this.progress = new InstallProgress(output, STEP_COUNT);
  }

  /** @throws CliError naming the step and the host, or SshError for a refused connection. */
  async install(request: AgentInstallRequest): Promise<AgentInstallResult> {
    const label = formatSshTarget(request.target);
    const host = await this.progress.run(
      `Connecting to ${label} (host key ${request.target.hostKeyFingerprint})`,
      async () =>
        new RemoteHost(await connectSsh(request.target), label, request.target.useSudo === true),
    );
    try {
      return await this.installOn(host, request);
    } finally {
      host.close();
    }
  }

  private async installOn(host: RemoteHost, request: AgentInstallRequest) {
    const layout = new InstallLayout(request.prefix);
    const facts = await this.progress.run(
      'Checking Node.js on the host',
      async () => {
        const found = await probeHost(host);
        checkStartable(found, request.isSystemdAllowed, host.label);
        return found;
      },
      (found) => `node ${found.nodeVersion} at ${found.nodePath}`,
    );
    const name = agentNameOf(request.name ?? facts.hostname);
    const agentPackage = await this.progress.run(
      'Packing the agent here',
      () => buildAgentPackage(),
      (packed) =>
        `${packed.packageCount} packages, ${(packed.archive.length / BYTES_PER_MIB).toFixed(1)} MiB`,
    );
    await this.progress.run(`Copying the agent to ${layout.installDir}`, () =>
      unpackAgent(host, layout, agentPackage.archive),
    );
    const thumbprint = await this.progress.run(
      `Creating the agent identity in ${layout.dataDir}`,
      () => createRemoteIdentity(host, layout, facts.nodePath, name),
      (hex) => `thumbprint ${hex}`,
    );
    const registration = await this.register(host, layout, request, name, thumbprint);
    const mode = await this.progress.run(
      'Starting the agent',
      () => this.start(host, layout, facts, request, agentPackage.repoRoot),
      (started) => started.description,
    );
    await this.awaitEnrollment(host, layout, request, registration, mode.mode);
    return { name, thumbprint, mode: mode.mode, preregistration: registration.outcome };
  }

  private async awaitEnrollment(
    host: RemoteHost,
    layout: InstallLayout,
    request: AgentInstallRequest,
    registration: PreregistrationView,
    mode: StartMode,
  ): Promise<void> {
    const { name } = registration.agent;
    await this.progress.run(
      `Waiting for agent ${name} to enroll`,
      () =>
        waitForEnrollment(this.dm, name, request.waitSeconds, () =>
          agentLogTail(host, layout, mode),
        ),
      (agent) => `${agent.state}, no manual accept needed`,
    );
  }

  /** Pre-registers the thumbprint, then writes the settings with the DM's thumbprint it answered. */
  private async register(
    host: RemoteHost,
    layout: InstallLayout,
    request: AgentInstallRequest,
    name: string,
    thumbprint: string,
  ): Promise<PreregistrationView> {
    const registration = await this.progress.run(
      `Pre-registering agent ${name} with the DM`,
      () => preregisterAgent(this.dm, name, thumbprint),
      (answer) => answer.outcome,
    );
    const settings = this.settings(request, layout, name, registration);
    await this.progress.run(`Writing ${layout.envFile} with the DM's thumbprint`, () =>
      writeRemoteEnvFile(host, layout, renderAgentEnv(settings)),
    );
    return registration;
  }

  private settings(
    request: AgentInstallRequest,
    layout: InstallLayout,
    name: string,
    registration: PreregistrationView,
  ): Record<string, string> {
    const { brokerNamespace, thumbprint } = registration.dm;
    return {
      FLOTILLA_AGENT_NAME: name,
      FLOTILLA_AMQP_URL: request.brokerUrl,
      FLOTILLA_DM_THUMBPRINT: thumbprint,
      FLOTILLA_DATA_DIR: layout.dataDir,
      ...(brokerNamespace === undefined ? {} : { FLOTILLA_BROKER_NAMESPACE: brokerNamespace }),
      ...(request.firewall === undefined ? {} : { FLOTILLA_FIREWALL: request.firewall }),
    };
  }

  private async start(
    host: RemoteHost,
    layout: InstallLayout,
    facts: HostFacts,
    request: AgentInstallRequest,
    repoRoot: string,
  ): Promise<{ mode: StartMode; description: string }> {
    if (facts.hasSystemd && request.isSystemdAllowed) {
      const packaged = await readFile(join(repoRoot, ...AGENT_UNIT_SOURCE), 'utf8');
      await startWithSystemd(host, layout, renderAgentUnit(packaged, layout, facts.nodePath));
      return {
        mode: 'systemd',
        description: `systemd unit ${layout.unitFile} enabled and started`,
      };
    }
    const pid = await startDirectly(host, layout, facts.nodePath);
    const why = facts.hasSystemd ? '--no-systemd' : 'no systemd on the host';
    return {
      mode: 'direct',
      description: `started directly (${why}): pid ${pid} in ${layout.pidFile}, log ${layout.logFile}`,
    };
  }
}

/**
 * The agent name, lowercased.
 * @throws CliError USAGE when the name (or the hostname it defaults to) is not an agent name.
 */
export function agentNameOf(candidate: string): string {
  const name = candidate.trim().toLowerCase();
  if (!AGENT_NAME_PATTERN.test(name)) {
    throw new CliError(
      'USAGE',
      `Agent name "${name}" is not a lowercase label of letters, digits and dashes (at most 63): pass --name`,
    );
  }
  return name;
}

/** Turns an SSH refusal into the CLI's error, keeping its message (both fingerprints on a mismatch). */
export function asInstallError(error: unknown): unknown {
  return error instanceof SshError
    ? new CliError('INSTALL_FAILED', error.message, undefined, { cause: error })
    : error;
}
