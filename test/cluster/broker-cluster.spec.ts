import { expect } from 'chai';
import { declareTopologyOnConnect } from '@flotilla/messaging';
import { BrokerNamespace, SecureWorld } from '../../libs/messaging/testing';
import { RealAgentsWorld } from '../e2e/support/real-agents-world';
import { RabbitMqCluster } from '../support/rabbitmq-cluster';
import type { RabbitMqClusterNode } from '../support/rabbitmq-cluster-node';
import { commandsOf, stepsStarted } from './deployment-evidence';
import { EnvelopeStream } from './envelope-stream';

const MESSAGE_COUNT = 500;
const KILL_AFTER_CONFIRMED = 100;
/** How long every handled message may take to arrive after the kill (generous, never asserted). */
const SETTLE_MS = 120_000;
const RECONNECT = { initialDelayMs: 100, maxDelayMs: 1_000 };
const APP = 'shop';
const ALL = ['/db-vm', '/db-vm/db', '/app-vm', '/app-vm/app', '/web-vm', '/web-vm/web'];

describe('RabbitMQ cluster of three local nodes with quorum queues', function () {
  this.timeout(180_000);
  let cluster: RabbitMqCluster;
  /** The node every test may kill (the first of the list: where fresh connections go). */
  let killed: RabbitMqClusterNode | undefined;

  before(async function () {
    this.timeout(240_000);
    cluster = await RabbitMqCluster.start();
    console.log(
      `      cluster of ${cluster.nodes.length} up in ${cluster.startupMs} ms ${JSON.stringify(cluster.phasesMs)}`,
    );
  });

  after(async () => {
    await cluster?.stop();
  });

  /**
   * Starts the killed node again (it rejoins by itself): before any clean-up, because deleting a
   * quorum queue that misses a member waits for it (about 50 s here).
   */
  async function restartKilledNode(): Promise<void> {
    if (killed !== undefined) {
      const began = Date.now();
      await cluster.restart(killed);
      console.log(`      ${killed.name} restarted and rejoined in ${Date.now() - began} ms`);
      killed = undefined;
    }
  }

  /** The namespace of one test on the cluster; its management API is on the last node (never killed). */
  function namespaceOnCluster(): BrokerNamespace {
    return new BrokerNamespace({
      amqpUrl: cluster.amqpUrls(),
      management: cluster.management(cluster.nodes[cluster.nodes.length - 1]),
      queueType: 'quorum',
    });
  }

  describe('SecurePublisher and SecureConsumer', () => {
    let ns: BrokerNamespace;
    let world: SecureWorld;

    beforeEach(async () => {
      ns = namespaceOnCluster();
      world = await SecureWorld.create('flotilla-admin');
    });

    afterEach(async () => {
      await restartKilledNode();
      await ns.nuke();
      await world.cleanup();
    });

    it('should handle each of 500 confirmed envelopes exactly once when the node of both connections is killed mid-stream', async () => {
      const stream = new EnvelopeStream(ns, world);
      const dm = ns.connection({ name: `${ns.id}-dm`, reconnect: RECONNECT });
      await stream.consumeWith(dm);
      const agent = ns.connection({ name: `${ns.id}-agent`, reconnect: RECONNECT });
      const reached: string[] = [];
      agent.on('connected', (info) => reached.push(info.url));
      await agent.start();
      let kill: Promise<void> | undefined;
      let confirmedAtKill = 0;

      await stream.publish(agent, MESSAGE_COUNT, (confirmed) => {
        if (confirmed === KILL_AFTER_CONFIRMED) {
          confirmedAtKill = confirmed;
          killed = cluster.nodeOfUrl(reached[0]);
          kill = killed.kill();
        }
      });
      await kill;
      await stream.done.waitFor(MESSAGE_COUNT, SETTLE_MS);
      await stream.consumer?.stop();

      expect(killed?.name, 'fresh connections go to the first node').to.equal(
        'flotilla-c1@localhost',
      );
      const after = reached.slice(1).map((url) => cluster.nodeOfUrl(url).name);
      expect(after, 'the agent connection moved to another node').to.have.length.of.at.least(1);
      expect(after).to.not.include(killed?.name);
      expect(stream.done.items).to.have.length(MESSAGE_COUNT);
      expect([...stream.handled.values()].every((times) => times === 1)).to.equal(true);
      console.log(
        `      killed ${killed?.name} after ${confirmedAtKill} confirmed; agent reconnected to ${after.join(', ')}`,
      );
    });
  });

  describe('quorum queue leader', () => {
    let ns: BrokerNamespace;
    let world: SecureWorld;

    beforeEach(async () => {
      ns = namespaceOnCluster();
      world = await SecureWorld.create('flotilla-admin');
    });

    afterEach(async () => {
      await restartKilledNode();
      await ns.nuke();
      await world.cleanup();
    });

    it('should handle each of 500 confirmed envelopes exactly once when the leader of the queue is killed under connected clients', async () => {
      const [leader, ...others] = cluster.nodes;
      const declarer = ns.connection({ url: cluster.amqpUrls().split(',')[0] });
      await declareTopologyOnConnect(declarer, ns.id, ns.topology.dmTopology());
      await declarer.start();
      // The clients use the other nodes only: they stay connected while the leader goes.
      const elsewhere = cluster.amqpUrls().split(',').slice(1).join(',');
      const stream = new EnvelopeStream(ns, world);
      const dm = ns.connection({ name: `${ns.id}-dm`, url: elsewhere, reconnect: RECONNECT });
      await stream.consumeWith(dm);
      const agent = ns.connection({ name: `${ns.id}-agent`, url: elsewhere, reconnect: RECONNECT });
      await agent.start();
      const disconnections: string[] = [];
      dm.on('disconnected', () => disconnections.push('dm'));
      agent.on('disconnected', () => disconnections.push('agent'));
      expect(await queueLeader(ns.topology.dmInboxQueue)).to.equal(leader.name);
      let kill: Promise<void> | undefined;

      await stream.publish(agent, MESSAGE_COUNT, (confirmed) => {
        if (confirmed === KILL_AFTER_CONFIRMED) {
          killed = leader;
          kill = leader.kill();
        }
      });
      await kill;
      await stream.done.waitFor(MESSAGE_COUNT, SETTLE_MS);
      await stream.consumer?.stop();

      expect(disconnections, 'the clients were not on the killed node').to.deep.equal([]);
      const newLeader = await queueLeader(ns.topology.dmInboxQueue);
      expect(others.map((node) => node.name)).to.include(newLeader);
      expect(stream.done.items).to.have.length(MESSAGE_COUNT);
      expect([...stream.handled.values()].every((times) => times === 1)).to.equal(true);
      console.log(`      inbox leader moved from ${leader.name} to ${newLeader}`);

      async function queueLeader(queue: string): Promise<string> {
        const path = `/api/queues/flotilla/${encodeURIComponent(queue)}`;
        return ((await ns.management.request('GET', path)) as { leader: string }).leader;
      }
    });
  });

  describe('a deployment by the DM on two real agents', () => {
    let world: RealAgentsWorld;

    beforeEach(async () => {
      const management = cluster.management(cluster.nodes[cluster.nodes.length - 1]);
      world = new RealAgentsWorld(namespaceOnCluster(), {
        FLOTILLA_AMQP_MANAGEMENT_URL: management.baseUrl,
        FLOTILLA_AMQP_QUEUE_TYPE: 'quorum',
      });
      try {
        await world.start();
      } catch (error: unknown) {
        await world.stop();
        throw error;
      }
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed') {
        process.stderr.write(world.agentLogs().slice(-20_000));
      }
      await restartKilledNode();
      await world.stop();
    });

    it('should start every instance, each step run once, when the node of the DM and the agents is killed mid-deployment', async () => {
      const names = [
        'flotilla-dm',
        ...[...world.agents.keys()].map((role) => agentConnection(role)),
      ];
      const placement = await cluster.nodesOfConnections(names);
      expect(new Set(placement.values()), 'every client on the first node').to.deep.equal(
        new Set(['flotilla-c1@localhost']),
      );

      await world.client.api('post', `/applications/${APP}/actions/start-all`).expect(202);
      await world.client.waitForStates(APP, ['/db-vm/db'], 'deployed_started', SETTLE_MS);
      const atKill = await world.client.instances(APP);
      killed = cluster.nodes[0];
      await killed.kill();
      await world.client.waitForStates(APP, ALL, 'deployed_started', SETTLE_MS);

      expect(atKill.get('/web-vm/web')?.actualState, 'killed mid-deployment').to.not.equal(
        'deployed_started',
      );
      const commands = await commandsOf(world.server);
      expect(commands.filter((command) => command.status !== 'succeeded')).to.deep.equal([]);
      expect(
        commands.filter((command) => command.attempt !== 1),
        'no step issued again',
      ).to.deep.equal([]);
      const started = stepsStarted(world.agentLogs());
      expect(started, 'each step ran once on the agents').to.deep.equal(
        commands.map((command) => `${command.path} ${command.step}`).sort(),
      );
      console.log(
        `      ${commands.length} steps, each run once, across the loss of ${killed.name}`,
      );
    });

    function agentConnection(role: string): string {
      return `flotilla-agent-${role}-${world.broker.id.slice(2, 10)}`;
    }
  });
});
