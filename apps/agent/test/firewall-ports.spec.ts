import { expect } from 'chai';
import type { TestHost } from '../../../test/support/netns';
import { AgentTestWorld } from './support/agent-test-world';
import {
  canConnect,
  startTcpServer as listen,
  stopTcpServer as stopListening,
} from '../../../libs/recipes/test/firewall-probe';

const AGENT = 'web-host';
const PORT = 8080;

for (const backend of ['nft', 'iptables'] as const) {
  describe(`Agent firewall ports (managed ${backend}, agent and client in network namespaces)`, function () {
    this.timeout(120_000);
    let world: AgentTestWorld;
    let web: TestHost;
    let client: TestHost;

    before(async () => {
      world = await AgentTestWorld.create();
      web = await world.addHost('web');
      client = await world.addHost('client');
      await world.startAcceptedAgent(web, AGENT, { FLOTILLA_FIREWALL: backend });
      await world.shipBundle(AGENT, 'Web');
    });

    after(async () => {
      await world?.destroy();
    });

    function step(
      instancePath: string,
      name: 'deploy' | 'start' | 'stop' | 'undeploy',
      port: number,
    ) {
      return world.stepCommand({
        component: 'Web',
        instancePath,
        step: name,
        exports: { 'Web.port': String(port) },
      });
    }

    it('should make a started server reachable from another host and unreachable after stop and undeploy', async () => {
      for (const name of ['deploy', 'start'] as const) {
        const result = await world.runStep(AGENT, step('/vm/web', name, PORT));
        expect(result.status, result.logTail).to.equal('succeeded');
      }
      expect(await canConnect(client, web, PORT), 'reachable after start').to.equal(true);

      const stopped = await world.runStep(AGENT, step('/vm/web', 'stop', PORT));
      expect(stopped.status, stopped.logTail).to.equal('succeeded');
      expect(stopped.openPorts).to.deep.equal([]);
      const listener = await listen(web, PORT);
      try {
        expect(await canConnect(client, web, PORT), 'filtered after stop').to.equal(false);
        const undeployed = await world.runStep(AGENT, step('/vm/web', 'undeploy', PORT));
        expect(undeployed.status, undeployed.logTail).to.equal('succeeded');
        expect(await canConnect(client, web, PORT), 'filtered after undeploy').to.equal(false);
      } finally {
        await stopListening(listener);
      }
      expect((await world.instanceStates(AGENT))['/vm/web']?.state).to.equal('not_deployed');
    });

    it('should close the port an instance opened when its undeploy.sh forgets to', async () => {
      const port = PORT + 1;
      const listener = await listen(web, port);
      try {
        const deployed = await world.runStep(AGENT, step('/vm/prepared', 'deploy', port));
        expect(deployed.openPorts).to.deep.equal([{ port, protocol: 'tcp' }]);
        expect(await canConnect(client, web, port), 'opened by deploy.sh').to.equal(true);

        const undeployed = await world.runStep(AGENT, step('/vm/prepared', 'undeploy', port));

        expect(undeployed.status, undeployed.logTail).to.equal('succeeded');
        expect(undeployed.openPorts).to.deep.equal([]);
        expect(await canConnect(client, web, port), 'filtered after undeploy').to.equal(false);
      } finally {
        await stopListening(listener);
      }
    });
  });
}
