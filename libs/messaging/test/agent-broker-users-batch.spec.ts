import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import {
  declareTopologyOnConnect,
  mergeTopologies,
  provisionAgentBrokerUser,
  provisionAgentBrokerUsers,
} from '@flotilla/messaging';
import { BrokerNamespace, RawAmqp, caughtError, testAmqpUrlFor } from '../testing';

const AGENTS = ['batch-1', 'batch-2', 'batch-3'];

describe(`${provisionAgentBrokerUsers.name} (real RabbitMQ)`, () => {
  let ns: BrokerNamespace;

  beforeEach(async () => {
    ns = new BrokerNamespace();
    const dm = ns.connection();
    await declareTopologyOnConnect(
      dm,
      ns.id,
      mergeTopologies([
        ns.topology.dmTopology(),
        ...AGENTS.map((agent) => ns.topology.agentTopology(agent)),
      ]),
    );
    await dm.start();
  });

  afterEach(async () => {
    await ns.nuke();
  });

  async function publishAs(username: string, password: string, agentName: string): Promise<void> {
    const agent = await RawAmqp.open(testAmqpUrlFor(username, password));
    try {
      await agent.publish(
        ns.topology.dmExchange,
        ns.topology.agentToDmRoutingKey(agentName, 'report'),
        Buffer.from('{}'),
      );
    } finally {
      await agent.close().catch(() => undefined);
    }
  }

  it('should give every agent of one call its own user, allowed only under its own routing keys', async () => {
    const requests = AGENTS.map((agentName) => ({
      agentName,
      password: randomUUID(),
      username: ns.userName(agentName),
    }));

    const users = await provisionAgentBrokerUsers(ns.management, ns.topology, requests);

    expect(users.map((user) => user.username)).to.deep.equal(requests.map((r) => r.username));
    for (const { agentName, password, username } of requests) {
      await publishAs(username, password, agentName);
    }
    const [first, second] = requests;
    const error = await caughtError(
      publishAs(first?.username ?? '', first?.password ?? '', second?.agentName ?? ''),
    );
    expect(String(error)).to.match(/ACCESS_REFUSED|closed/);
  });

  it('should replace the password of an agent provisioned before', async () => {
    const username = ns.userName('batch-1');
    const before = randomUUID();
    await provisionAgentBrokerUser(ns.management, ns.topology, {
      agentName: 'batch-1',
      password: before,
      username,
    });
    const after = randomUUID();

    await provisionAgentBrokerUsers(ns.management, ns.topology, [
      { agentName: 'batch-1', password: after, username },
    ]);

    await publishAs(username, after, 'batch-1');
    const error = await caughtError(RawAmqp.open(testAmqpUrlFor(username, before)));
    expect(String(error)).to.match(/ACCESS_REFUSED|403/);
  });
});
