import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { FIREWALL_REQUEST_MAX_BYTES, FIREWALL_SOCKET_FILE_NAME } from '../recipes.constants';
import { NOOP_RECIPE_LOGGER, type RecipeLogger } from '../recipes.logger';
import type { StepUser } from '../runner/step-result';
import type { Firewall } from './firewall';
import { formatPortRule, parsePortRule } from './port-rule';

/** A request the `flotilla-fw` helper sends: one JSON line. */
export interface FirewallRequest {
  readonly action: 'open' | 'close';
  readonly rule: string;
}

/** Options of one step's firewall socket. */
export interface FirewallSocketOptions {
  readonly firewall: Firewall;
  /** The instance path the step runs for: the owner of every port it opens. */
  readonly owner: string;
  /** Where the socket's private directory is created (made 0711 if missing). */
  readonly parentDir: string;
  /** The recipe user, who alone may connect (directory 0700 owned by it). */
  readonly user?: StepUser;
  readonly logger?: RecipeLogger;
}

/**
 * The unix socket through which a step's recipes open and close ports: served for the duration of
 * the step, in a private directory only the recipe user can enter, applying each request through
 * the Firewall with the step's instance as owner and answering `{ ok }` or `{ ok: false, error }`.
 */
export class FirewallSocketServer {
  private constructor(
    readonly socketPath: string,
    private readonly directory: string,
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
  ) {}

  /** Creates the private directory and starts listening. */
  static async start(options: FirewallSocketOptions): Promise<FirewallSocketServer> {
    // 0711: the recipe user may pass through to its own directory but not list the others.
    await mkdir(options.parentDir, { recursive: true, mode: 0o711 });
    const directory = await mkdtemp(join(options.parentDir, 'fw-'));
    await chmod(directory, 0o700);
    const socketPath = join(directory, FIREWALL_SOCKET_FILE_NAME);
    // Half-open: the helper may end its side right after the request; the answer still goes back.
    const sockets = new Set<Socket>();
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      serve(socket, options);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o600);
    if (options.user) {
      await chown(directory, options.user.uid, options.user.gid);
      await chown(socketPath, options.user.uid, options.user.gid);
    }
    return new FirewallSocketServer(socketPath, directory, server, sockets);
  }

  /** Stops listening, drops open connections and removes the directory. */
  async close(): Promise<void> {
    // A helper the script left running must not keep the step's socket (and its owner) alive.
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.directory, { recursive: true, force: true });
  }
}

function serve(socket: Socket, options: FirewallSocketOptions): void {
  let received = '';
  let isAnswered = false;
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    if (isAnswered) {
      return;
    }
    received += chunk;
    const newline = received.indexOf('\n');
    if (newline < 0 && received.length <= FIREWALL_REQUEST_MAX_BYTES) {
      return;
    }
    // One request per connection: anything after the first line is ignored.
    isAnswered = true;
    socket.pause();
    if (newline < 0 || newline > FIREWALL_REQUEST_MAX_BYTES) {
      socket.end(answer(false, `request longer than ${FIREWALL_REQUEST_MAX_BYTES} bytes`));
      return;
    }
    void handle(received.slice(0, newline), options).then((reply) => socket.end(reply));
  });
}

async function handle(line: string, options: FirewallSocketOptions): Promise<string> {
  const logger = options.logger ?? NOOP_RECIPE_LOGGER;
  try {
    const request = JSON.parse(line) as Partial<FirewallRequest>;
    if (request.action !== 'open' && request.action !== 'close') {
      return answer(false, `unknown action "${String(request.action)}": expected open or close`);
    }
    const rule = parsePortRule(String(request.rule));
    await options.firewall[request.action](rule, options.owner);
    logger.info(`Recipe ${request.action}ed port ${formatPortRule(rule)}`, {
      owner: options.owner,
    });
    return answer(true);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn('Recipe firewall request failed', { owner: options.owner, error: message });
    return answer(false, message);
  }
}

function answer(ok: boolean, error?: string): string {
  return `${JSON.stringify(ok ? { ok } : { ok, error })}\n`;
}
