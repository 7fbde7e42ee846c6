/** An HTTP call's method. */
type Method = 'GET' | 'POST' | 'DELETE';

/** One event of the DM's `/api/events` stream, as far as the benchmarks read it. */
export interface StreamedEvent {
  readonly type: string;
  readonly path?: string;
  readonly to?: string;
  readonly jobId?: string;
  readonly status?: string;
}

/** The operator's side of the DM API over fetch: bearer-token calls and the event stream. */
export class DmApi {
  private constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Logs in as `admin`. */
  static async login(url: string, password: string): Promise<DmApi> {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    if (response.status !== 200) {
      throw new Error(`POST /api/auth/login: HTTP ${response.status} ${await response.text()}`);
    }
    const { token } = (await response.json()) as { token: string };
    return new DmApi(url, token);
  }

  /**
   * Calls `/api<path>` and returns the parsed body.
   * @throws Error naming the call when the status is not `expected`.
   */
  async call<T = unknown>(
    method: Method,
    path: string,
    expected: number,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const isRaw = Buffer.isBuffer(body);
    const response = await fetch(`${this.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': contentType },
      ...(body === undefined ? {} : { body: isRaw ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expected) {
      throw new Error(`${method} /api${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
    }
    return (text.length === 0 ? undefined : JSON.parse(text)) as T;
  }

  /**
   * Follows `/api/events` until `onEvent` returns true or `signal` aborts; resolves once the
   * stream is open (the returned promise `ended` settles when following stops).
   */
  async follow(
    onEvent: (event: StreamedEvent, receivedAt: number) => boolean,
    signal: AbortSignal,
  ): Promise<{ ended: Promise<void> }> {
    const response = await fetch(`${this.url}/api/events`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
      signal,
    });
    if (response.status !== 200 || response.body === null) {
      throw new Error(`GET /api/events: HTTP ${response.status}`);
    }
    const reader = response.body.getReader();
    const ended = readEvents(reader, onEvent).finally(() => reader.cancel().catch(() => undefined));
    return { ended };
  }
}

async function readEvents(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  onEvent: (event: StreamedEvent, receivedAt: number) => boolean,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return;
    }
    const receivedAt = performance.now();
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((entry) => entry.startsWith('data: '))) {
      if (onEvent(JSON.parse(line.slice('data: '.length)) as StreamedEvent, receivedAt)) {
        return;
      }
    }
  }
}

/** Runs `work` over `items` with at most `concurrency` at once; rejects on the first failure. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      next += 1;
      await work(items[next - 1]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
