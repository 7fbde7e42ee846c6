import { once } from 'node:events';
import { DeploymentEvents, type DmServer } from '@flotilla/dm';
import request from 'supertest';
import { adminToken } from './test-dm';

/** An instance as `GET /api/applications/:app/instances` lists it. */
export interface ListedInstance {
  readonly path: string;
  readonly actualState: string;
  readonly desiredState: string;
  readonly exports: Record<string, string>;
  readonly lastFailure: Record<string, unknown> | null;
}

/** An operator's view of a DM under test: authenticated API calls and waits on instance states. */
export class DmClient {
  private constructor(
    readonly server: DmServer,
    /** The admin's bearer token. */
    readonly token: string,
  ) {}

  /** Logs in as admin. */
  static async login(server: DmServer): Promise<DmClient> {
    return new DmClient(server, await adminToken(server));
  }

  /** An authenticated request to the DM's API. */
  api(method: 'get' | 'post', path: string): request.Test {
    const client = request(this.server.url);
    const call = method === 'get' ? client.get(`/api${path}`) : client.post(`/api${path}`);
    return call.set('Authorization', `Bearer ${this.token}`);
  }

  /** The instances of an application by path. */
  async instances(application: string): Promise<Map<string, ListedInstance>> {
    const response = await this.api('get', `/applications/${application}/instances`).expect(200);
    return new Map(
      (response.body as ListedInstance[]).map((instance) => [instance.path, instance]),
    );
  }

  /**
   * Waits until every listed path is in `state`: re-reads the API after each state change the DM
   * publishes on its event stream, and fails after `timeoutMs` naming the laggards.
   */
  async waitForStates(
    application: string,
    paths: readonly string[],
    state: string,
    timeoutMs = 30_000,
  ): Promise<void> {
    let wake: () => void = () => undefined;
    const subscription = this.server.app
      .get(DeploymentEvents)
      .stream()
      .subscribe(() => wake());
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      for (;;) {
        const changed = new Promise<void>((resolve) => (wake = resolve));
        const instances = await this.instances(application);
        const pending = paths.filter((path) => instances.get(path)?.actualState !== state);
        if (pending.length === 0) {
          return;
        }
        if (deadline.aborted) {
          const seen = pending.map((path) => `${path}=${instances.get(path)?.actualState ?? '?'}`);
          throw new Error(`not ${state} within ${timeoutMs} ms: ${seen.join(', ')}`);
        }
        await Promise.race([changed, once(deadline, 'abort')]);
      }
    } finally {
      subscription.unsubscribe();
    }
  }
}
