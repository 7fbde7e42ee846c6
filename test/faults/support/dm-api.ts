import { DmEventStream } from './dm-event-stream';

/** An instance as `GET /api/applications/:app/instances` lists it. */
export interface FleetInstance {
  readonly path: string;
  readonly actualState: string;
  readonly desiredState: string;
  readonly exports: Readonly<Record<string, string>>;
}

/** An agent as `GET /api/agents/:name` shows it. */
export interface ListedAgent {
  readonly name: string;
  readonly state: string;
  readonly isLost: boolean;
  readonly lastSeenAt: string | null;
}

/** An audit entry as `GET /api/audit` lists it. */
export interface AuditLine {
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A DM answer: status and parsed JSON body (undefined when empty). */
export interface DmAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The operator's view of a DM process over HTTP only (it may be killed at any time): authenticated
 * calls, and waits that re-read the API at each event of `/api/events`.
 */
export class DmApi {
  readonly events: DmEventStream;
  private token = '';

  constructor(
    readonly url: string,
    private readonly password: string,
  ) {
    this.events = new DmEventStream(url, () => this.token);
  }

  /** Logs in as admin (again after a DM restart: sessions survive it, but a fresh one is cheap). */
  async login(): Promise<void> {
    const answer = await this.call('POST', '/auth/login', {
      username: 'admin',
      password: this.password,
    });
    this.token = (answer.body as { token: string }).token;
  }

  /**
   * An authenticated API call under `/api`.
   * @throws Error naming the call when the DM answers with a status not in `expected`.
   */
  async call(
    method: string,
    path: string,
    body?: unknown,
    expected: readonly number[] = [200, 201, 202, 204],
  ): Promise<DmAnswer> {
    const isBinary = Buffer.isBuffer(body);
    const response = await fetch(`${this.url}/api${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined
          ? {}
          : { 'Content-Type': isBinary ? 'application/gzip' : 'application/json' }),
      },
      ...(body === undefined ? {} : { body: isBinary ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) {
      throw new Error(`${method} /api${path} answered ${response.status}: ${text.slice(0, 2000)}`);
    }
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  /** The instances of an application. */
  async instances(app: string): Promise<FleetInstance[]> {
    return (await this.call('GET', `/applications/${app}/instances`)).body as FleetInstance[];
  }

  /** An agent's record, or undefined when the DM does not know it yet. */
  async agent(name: string): Promise<ListedAgent | undefined> {
    const answer = await this.call('GET', `/agents/${name}`, undefined, [200, 404]);
    return answer.status === 200 ? (answer.body as ListedAgent) : undefined;
  }

  /** Audit entries of one action, newest first (up to the API's page limit). */
  async audit(action: string): Promise<AuditLine[]> {
    return (await this.call('GET', `/audit?action=${encodeURIComponent(action)}&limit=1000`))
      .body as AuditLine[];
  }

  /**
   * Re-reads `read` at every DM event (and at least every second) until it returns a value.
   * @throws Error with `describe`'s account of the last reading when `timeoutMs` passes first.
   */
  async waitUntil<T>(
    read: () => Promise<T | undefined>,
    describe: () => string,
    timeoutMs: number,
  ): Promise<T> {
    const deadline = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const value = await read().catch(() => undefined); // the DM may be restarting
      if (value !== undefined) {
        return value;
      }
      if (deadline.aborted) {
        throw new Error(`not within ${timeoutMs} ms: ${describe()}`);
      }
      await this.events.next(POLL_FALLBACK_MS);
    }
  }

  /** Waits until every instance of `app` is in its desired state and that is `state`. */
  async waitForAll(app: string, state: string, timeoutMs: number): Promise<FleetInstance[]> {
    let laggards = 'no reading yet';
    return this.waitUntil(
      async () => {
        const instances = await this.instances(app);
        const pending = instances.filter(
          (i) => i.actualState !== state || i.desiredState !== state,
        );
        laggards = `${pending.length} of ${instances.length} not ${state}: ${pending
          .slice(0, 10)
          .map((i) => `${i.path}=${i.actualState}/${i.desiredState}`)
          .join(', ')}`;
        return pending.length === 0 ? instances : undefined;
      },
      () => laggards,
      timeoutMs,
    );
  }

  /** Stops following events. */
  close(): void {
    this.events.close();
  }
}

/** How often a wait reads the API again when no event arrives (events are only a wake-up). */
const POLL_FALLBACK_MS = 1_000;
