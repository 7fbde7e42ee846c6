import { expect } from 'chai';
import { agentBrokerPermissions, escapeRegex } from './agent-broker-user';
import { FlotillaTopology } from './flotilla-topology';

describe(agentBrokerPermissions.name, () => {
  const topology = new FlotillaTopology();
  const sut = agentBrokerPermissions(topology, 'web-1');
  const matches = (pattern: string, value: string): boolean => new RegExp(pattern).test(value);
  const topicWrite = (exchange: string): string =>
    sut.topicPermissions.find((permission) => permission.exchange === exchange)?.write ?? '';

  it('should let the agent read only its own queue', () => {
    expect(matches(sut.permissions.read, 'flotilla.agent.web-1')).to.equal(true);
    expect(matches(sut.permissions.read, 'flotilla.agent.web-12')).to.equal(false);
    expect(matches(sut.permissions.read, 'flotilla.dm.inbox')).to.equal(false);
  });

  it('should let the agent configure nothing', () => {
    expect(matches(sut.permissions.configure, 'flotilla.agent.web-1')).to.equal(false);
  });

  for (const [exchange, isAllowed] of [
    ['flotilla.dm', true],
    ['flotilla.retry', true],
    ['flotilla.dead', true],
    ['flotilla.agents', false],
    ['flotilla.enroll', false],
    ['amq.default', false],
  ] as const) {
    it(`should ${isAllowed ? '' : 'not '}let the agent write to ${exchange}`, () => {
      expect(matches(sut.permissions.write, exchange)).to.equal(isAllowed);
    });
  }

  it('should restrict the DM routing keys to the agent own prefix', () => {
    expect(matches(topicWrite('flotilla.dm'), 'agent.web-1.step.result')).to.equal(true);
    expect(matches(topicWrite('flotilla.dm'), 'agent.web-2.step.result')).to.equal(false);
    expect(matches(topicWrite('flotilla.dm'), 'agent.web-1')).to.equal(false);
  });

  it('should restrict retries and dead letters to the agent own queue', () => {
    expect(matches(topicWrite('flotilla.retry'), 'flotilla.agent.web-1.retry.2')).to.equal(true);
    expect(matches(topicWrite('flotilla.retry'), 'flotilla.dm.inbox.retry.1')).to.equal(false);
    expect(matches(topicWrite('flotilla.dead'), 'flotilla.agent.web-1')).to.equal(true);
    expect(matches(topicWrite('flotilla.dead'), 'flotilla.agent.web-2')).to.equal(false);
  });
});

describe(escapeRegex.name, () => {
  it('should make every metacharacter literal', () => {
    expect(new RegExp(`^${escapeRegex('a.b*c')}$`).test('a.b*c')).to.equal(true);
    expect(new RegExp(`^${escapeRegex('a.b*c')}$`).test('axbbc')).to.equal(false);
  });
});
