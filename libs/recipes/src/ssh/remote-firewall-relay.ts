import type { Client, ClientChannel } from 'ssh2';
import type { Firewall } from '../firewall/firewall';
import { parsePortRule } from '../firewall/port-rule';
import type { RecipeLogger } from '../recipes.logger';
import { execRemote, type RemoteCommandResult } from './remote-command';
import type { RemoteStepWorkspace } from './remote-step-workspace';
import { quoteShellCommand } from './shell-quote';
import { FIREWALL_RELAY_SCRIPT } from './remote-scripts';
import { SshError } from './ssh.errors';

const READY_LINE = /^ready \d+$/;

/**
 * The proxy's end of a step's firewall relay: requests from the `flotilla-fw` helper on the
 * target arrive as lines on the relay channel's stdout, are applied to the target's firewall
 * for the step's instance, and answered (`ok` or the error) on its stdin.
 */
export class RemoteFirewallRelay {
  private buffered = '';
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly firewall: Firewall,
    private readonly owner: string,
    private readonly logger: RecipeLogger,
    private readonly target: string,
  ) {}

  private channel: ClientChannel | undefined;
  private ended: Promise<RemoteCommandResult> | undefined;

  /**
   * Starts the relay script of `workspace` and resolves once it listens on its FIFO.
   * @throws SshError SSH_COMMAND_FAILED when the relay exits before it is ready.
   */
  static async start(
    client: Client,
    target: string,
    workspace: RemoteStepWorkspace,
    options: { firewall: Firewall; owner: string; logger: RecipeLogger },
  ): Promise<RemoteFirewallRelay> {
    const relay = new RemoteFirewallRelay(options.firewall, options.owner, options.logger, target);
    // The relay is fixed text passed as one quoted word, so it can start before the upload ends.
    const command = `exec ${quoteShellCommand(['/bin/sh', '-c', FIREWALL_RELAY_SCRIPT, 'fw-relay', workspace.dir])}`;
    await new Promise<void>((resolve, reject) => {
      relay.ended = execRemote(client, command, {
        target,
        keepStdinOpen: true,
        onChannel: (channel) => (relay.channel = channel),
        onOutput: (chunk, stream) => {
          if (stream === 'stdout') {
            relay.receive(chunk.toString('utf8'), resolve);
          }
        },
      });
      relay.ended.then(
        (result) =>
          reject(
            new SshError(
              'SSH_COMMAND_FAILED',
              `The firewall relay on ${target} exited before it was ready (exit ${String(result.exitCode)})`,
              { target, command },
            ),
          ),
        reject,
      );
    });
    return relay;
  }

  /** Waits for the relay to end (the wrapper or the clean-up stops it) and for pending answers. */
  async finished(): Promise<void> {
    this.channel?.end();
    await this.ended?.catch(() => undefined);
    await this.pending;
  }

  private receive(text: string, onReady: () => void): void {
    this.buffered += text;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      if (READY_LINE.test(line)) {
        onReady();
      } else {
        this.pending = this.pending.then(() => this.answer(line));
      }
      newline = this.buffered.indexOf('\n');
    }
  }

  private async answer(line: string): Promise<void> {
    const [action, spec] = line.split(' ');
    let reply = 'ok';
    try {
      const rule = parsePortRule(spec ?? '');
      if (action === 'open') {
        await this.firewall.open(rule, this.owner);
      } else if (action === 'close') {
        await this.firewall.close(rule, this.owner);
      } else {
        reply = `unknown action "${String(action)}"`;
      }
      this.logger.info(`Firewall ${String(action)} ${String(spec)} on ${this.target}`, {
        owner: this.owner,
        reply,
      });
    } catch (error: unknown) {
      reply = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Firewall request refused on ${this.target}`, {
        owner: this.owner,
        request: line,
        error: reply,
      });
    }
    this.channel?.write(`${reply.replace(/[\r\n]+/g, ' ')}\n`);
  }
}
