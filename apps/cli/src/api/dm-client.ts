import { CliError } from '../cli-error';
import { DmResponseError, type DmErrorBody } from './dm-response.error';

/** What one request sends besides its method and path. */
export interface DmRequestOptions {
  readonly json?: unknown;
  readonly body?: Buffer;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly signal?: AbortSignal;
}

/** The DM's REST API over `fetch`, authenticated with a bearer token when one is given. */
export class DmClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /**
   * Sends one request and returns the parsed JSON answer (undefined for 204).
   * @throws CliError DM_UNREACHABLE when nothing answers, DmResponseError for an error status.
   */
  async request<T>(method: string, path: string, options: DmRequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    if (!response.ok) {
      throw new DmResponseError(method, path, response.status, parseErrorBody(text));
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Opens the server-sent event stream `/api/events`; the caller reads and cancels the body. */
  async openEvents(signal: AbortSignal): Promise<Response> {
    const response = await this.send('GET', '/api/events', { signal });
    if (!response.ok) {
      throw new DmResponseError(
        'GET',
        '/api/events',
        response.status,
        parseErrorBody(await response.text()),
      );
    }
    return response;
  }

  private async send(method: string, path: string, options: DmRequestOptions): Promise<Response> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    const headers: Record<string, string> = {};
    if (this.token !== undefined) {
      headers.authorization = `Bearer ${this.token}`;
    }
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.body;
    }
    try {
      return await fetch(url, { method, headers, body, signal: options.signal });
    } catch (error: unknown) {
      if (options.signal?.aborted) {
        throw error;
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        'DM_UNREACHABLE',
        `Cannot reach the DM at ${this.baseUrl} (${cause?.code ?? cause?.message ?? String(error)}): is it running, and is the URL right? (flotilla login --url URL, or FLOTILLA_URL)`,
        undefined,
        { cause: error },
      );
    }
  }
}

function parseErrorBody(text: string): DmErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : { message: text };
  } catch {
    // Not JSON (a proxy's HTML page, say): show the text itself.
    return { message: text.slice(0, 500) };
  }
}
