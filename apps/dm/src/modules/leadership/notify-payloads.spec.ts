import { expect } from 'chai';
import type { DeploymentEvent } from '../deployments/deployment-events';
import { packNotifications, type ReplicaEventsPayload } from './notify-payloads';

const ORIGIN = 'replica-a';
const MAX_BYTES = 1_000;

function state(path: string): DeploymentEvent {
  return {
    type: 'instance.state',
    application: 'shop',
    path,
    from: 'not_deployed',
    to: 'deploying',
    event: 'deploy',
  };
}

function output(chunk: string): DeploymentEvent {
  return { type: 'step.output', agent: 'a1', path: '/vm', jobId: 'j1', stream: 'stdout', chunk };
}

function unpack(payloads: readonly string[]): DeploymentEvent[] {
  return payloads.flatMap((payload) => (JSON.parse(payload) as ReplicaEventsPayload).events);
}

describe('packNotifications', () => {
  it('should carry small events in one payload, in order, with the origin', () => {
    const events = [state('/a'), state('/b'), state('/c')];

    const payloads = packNotifications(ORIGIN, events, MAX_BYTES);

    expect(payloads).to.have.length(1);
    expect((JSON.parse(payloads[0] ?? '') as ReplicaEventsPayload).origin).to.equal(ORIGIN);
    expect(unpack(payloads)).to.deep.equal(events);
  });

  it('should start a new payload when the next event would pass the limit', () => {
    const events = Array.from({ length: 30 }, (_, index) => state(`/vm-${index}`));

    const payloads = packNotifications(ORIGIN, events, MAX_BYTES);

    expect(payloads.length).to.be.greaterThan(1);
    payloads.forEach((payload) => expect(Buffer.byteLength(payload)).to.be.at.most(MAX_BYTES));
    expect(unpack(payloads)).to.deep.equal(events);
  });

  it('should split an output chunk too large for one payload into consecutive chunks', () => {
    const chunk = 'é'.repeat(3_000) + '\n' + '😀'.repeat(500);

    const payloads = packNotifications(ORIGIN, [output(chunk)], MAX_BYTES);

    payloads.forEach((payload) => expect(Buffer.byteLength(payload)).to.be.at.most(MAX_BYTES));
    const parts = unpack(payloads).map((event) =>
      event.type === 'step.output' ? event.chunk : '',
    );
    expect(parts.length).to.be.greaterThan(1);
    expect(parts.join('')).to.equal(chunk);
    parts.forEach((part) => expect(part).not.to.match(/^[\udc00-\udfff]|[\ud800-\udbff]$/));
  });
});
