import { expect } from 'chai';
import type { Transaction } from '../../persistence/transaction-runner';
import { AgentlessRouter, type RoutableCommand } from './agentless-router';
import type { AgentlessSecrets } from './agentless-secrets';
import type { AgentlessTarget } from './agentless-target';
import type { AgentlessTargetsRepository, ProxyCandidate } from './agentless-targets.repository';

const TX = {} as Transaction;

function target(proxies: string[]): AgentlessTarget {
  return {
    instanceId: 'root-id',
    host: '10.0.0.9',
    port: 2222,
    user: 'root',
    hostKeyFingerprint: `SHA256:${'C'.repeat(43)}`,
    keyName: null,
    sealedPassword: null,
    useSudo: false,
    firewall: { backend: 'nft', isManaged: true },
    proxies,
  };
}

function proxy(name: string): ProxyCandidate {
  return { name, thumbprint: `sha256:${'a'.repeat(64)}`, encryptionPublicKey: null };
}

function command(overrides: Partial<RoutableCommand> = {}): RoutableCommand {
  return {
    jobId: 'job-1',
    applicationId: 'app-id',
    instancePath: '/vm/app',
    status: 'queued',
    agentName: null,
    details: {},
    ...overrides,
  };
}

function routerOver(declared: AgentlessTarget | undefined, up: ProxyCandidate[]): AgentlessRouter {
  const targets = {
    findByRoot: (_application: string, rootPath: string) =>
      Promise.resolve(rootPath === '/vm' ? declared : undefined),
    proxiesUp: () => Promise.resolve(up),
    heldPorts: () =>
      Promise.resolve([{ owner: '/vm/app', rules: [{ port: 80, protocol: 'tcp' }] }]),
  } as unknown as AgentlessTargetsRepository;
  return new AgentlessRouter(targets, {} as AgentlessSecrets);
}

describe(AgentlessRouter.name, () => {
  describe('route', () => {
    it('should leave a step of a root that is not agentless to its agent', async () => {
      const sut = routerOver(undefined, [proxy('p1')]);

      expect(await sut.route(command(), TX)).to.deep.equal({ kind: 'agent' });
    });

    const cases: Array<{
      when: string;
      proxies: string[];
      up: string[];
      tried: string[];
      to: string;
    }> = [
      { when: 'no list is given', proxies: [], up: ['p1', 'p2'], tried: [], to: 'p1' },
      {
        when: 'the list puts p2 first',
        proxies: ['p2', 'p1'],
        up: ['p1', 'p2'],
        tried: [],
        to: 'p2',
      },
      { when: 'the first choice is down', proxies: ['p2', 'p1'], up: ['p1'], tried: [], to: 'p1' },
      { when: 'p1 was already tried', proxies: [], up: ['p1', 'p2'], tried: ['p1'], to: 'p2' },
      {
        when: 'every proxy was tried',
        proxies: [],
        up: ['p1', 'p2'],
        tried: ['p1', 'p2'],
        to: 'p1',
      },
    ];
    for (const { when, proxies, up, tried, to } of cases) {
      it(`should send a queued step to ${to} when ${when}`, async () => {
        const sut = routerOver(target(proxies), up.map(proxy));

        const route = await sut.route(command({ details: { triedProxies: tried } }), TX);

        expect(route).to.deep.include({ kind: 'proxy', proxy: to });
      });
    }

    it('should make a queued step wait when no allowed proxy is up', async () => {
      const sut = routerOver(target(['p3']), [proxy('p1')]);

      expect(await sut.route(command(), TX)).to.deep.equal({ kind: 'waiting' });
    });

    it('should resend a sent step to its proxy while it is up, and hand it over once lost', async () => {
      const sent = command({ status: 'sent', agentName: 'p1' });

      expect(
        await routerOver(target([]), [proxy('p1'), proxy('p2')]).route(sent, TX),
      ).to.deep.include({ kind: 'proxy', proxy: 'p1' });
      expect(await routerOver(target([]), [proxy('p2')]).route(sent, TX)).to.deep.equal({
        kind: 'hand-over',
        from: 'p1',
      });
    });

    it('should carry the target with its pinned key and the proxy key credential', async () => {
      const route = await routerOver(target([]), [proxy('p1')]).route(command(), TX);

      expect(route).to.deep.equal({
        kind: 'proxy',
        proxy: 'p1',
        target: {
          host: '10.0.0.9',
          port: 2222,
          user: 'root',
          hostKeyFingerprint: `SHA256:${'C'.repeat(43)}`,
          credential: { kind: 'proxy-key' },
          useSudo: false,
          firewall: { backend: 'nft', isManaged: true },
          heldPorts: [{ owner: '/vm/app', rules: [{ port: 80, protocol: 'tcp' }] }],
        },
      });
    });
  });

  describe('isMaybeAgentless', () => {
    it('should tell agentless roots from agent roots by application and root path', () => {
      const roots = new Set(['app-id /vm']);

      expect(AgentlessRouter.isMaybeAgentless(command(), roots)).to.equal(true);
      expect(
        AgentlessRouter.isMaybeAgentless(command({ instancePath: '/vm2/app' }), roots),
      ).to.equal(false);
      expect(AgentlessRouter.isMaybeAgentless(command({ applicationId: 'other' }), roots)).to.equal(
        false,
      );
    });
  });

  describe('hasUntriedProxy', () => {
    it('should say whether a proxy other than the tried and failed ones is up', async () => {
      const sut = routerOver(target([]), [proxy('p1'), proxy('p2')]);

      expect(await sut.hasUntriedProxy(command(), 'p1', TX)).to.equal(true);
      expect(
        await sut.hasUntriedProxy(command({ details: { triedProxies: ['p2'] } }), 'p1', TX),
      ).to.equal(false);
    });
  });
});
