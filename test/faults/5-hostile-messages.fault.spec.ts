import { expect } from 'chai';
import { REASON_CODE_HEADER } from '@flotilla/messaging';
import { RawAmqp } from '../../libs/messaging/testing';
import { expectEndConditions } from './support/end-conditions';
import type { FaultWorld } from './support/fault-world';
import { HOSTILE_MIX, HOSTILE_TOTAL, HostileSender } from './support/hostile-messages';
import { MemorySampler } from './support/memory-sampler';
import { SETTLE_MS } from './support/scenario.constants';
import { useSharedFaultWorld } from './support/use-fault-world';

const MIB = 1024 * 1024;
/**
 * How far the DM's resident memory may grow over its reading before the attack: generous (the
 * oversized bodies alone are 20 MiB on the wire), but far below what buffering 10,000 refused
 * messages, or leaking per refusal, would take.
 */
const MEMORY_HEADROOM_BYTES = 256 * MIB;
const SAMPLE_EVERY = 250;
const DEAD_LETTERS_MS = 180_000;

/** The DM's `flotilla_dm_envelopes_refused` counters of its inbox, by reason. */
async function refusedByReason(world: FaultWorld): Promise<Record<string, number>> {
  const response = await fetch(`${world.dm.url}/metrics`);
  const inbox = world.broker.topology.dmInboxQueue;
  const counts: Record<string, number> = {};
  const line = /^flotilla_dm_envelopes_refused\{queue="([^"]+)",reason="([^"]+)"\} (\d+)$/gm;
  for (const [, queue, reason, count] of (await response.text()).matchAll(line)) {
    if (queue === inbox && reason !== undefined) {
      counts[reason] = Number(count);
    }
  }
  return counts;
}

function difference(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([reason, count]) => [reason, count - (before[reason] ?? 0)] as const)
      .filter(([, count]) => count !== 0),
  );
}

const EXPECTED_BY_REASON = Object.fromEntries(HOSTILE_MIX.map((kind) => [kind.reason, kind.count]));

describe('fault: 10,000 garbage, oversized and forged messages thrown at the DM queue during a deployment', function () {
  this.timeout(600_000);
  const world = useSharedFaultWorld();

  it('should complete the deployment, dead-letter and count every bad message by reason, and keep its memory bounded', async () => {
    await world().settle('undeploy-all', 'not_deployed', SETTLE_MS);
    const refusedBefore = await refusedByReason(world());
    const memory = new MemorySampler(world().dm);
    await memory.sample();
    const raw = await RawAmqp.open();
    const deadQueue = `${world().broker.topology.dmInboxQueue}.dead`;
    const t0 = Date.now();
    let sentAfter = 0;
    let settledAfter = 0;
    try {
      await world().api.call('POST', '/applications/fleet/actions/start-all');
      const sender = await HostileSender.open(world(), 'h1');
      try {
        await sender.sendAll(() => memory.sample(), SAMPLE_EVERY);
        sentAfter = Date.now() - t0;
      } finally {
        await sender.close();
      }

      await world().api.waitForAll('fleet', 'deployed_started', SETTLE_MS);
      await world().api.waitUntil(
        async () => {
          await memory.sample();
          return (await raw.messageCount(deadQueue)) === HOSTILE_TOTAL ? true : undefined;
        },
        () => `${deadQueue} does not hold the ${HOSTILE_TOTAL} hostile messages`,
        DEAD_LETTERS_MS,
      );
      settledAfter = Date.now() - t0;
      await memory.sample();

      expect(difference(await refusedByReason(world()), refusedBefore)).to.deep.equal(
        EXPECTED_BY_REASON,
      );
      await expectEndConditions(world(), {
        state: 'deployed_started',
        deadLetteredInInbox: HOSTILE_TOTAL,
      });
      const dead = await raw.take(deadQueue, HOSTILE_TOTAL, DEAD_LETTERS_MS);
      const byHeader: Record<string, number> = {};
      for (const message of dead) {
        const reason = String(message.properties.headers?.[REASON_CODE_HEADER]);
        byHeader[reason] = (byHeader[reason] ?? 0) + 1;
      }
      expect(byHeader, 'dead letters by their reason header').to.deep.equal(EXPECTED_BY_REASON);
    } finally {
      await raw.close();
    }
    process.stdout.write(
      `      ${HOSTILE_TOTAL} hostile messages sent in ${sentAfter} ms; deployed and all dead-lettered after ${settledAfter} ms; DM resident memory ${(memory.first / MIB).toFixed(0)} MiB before, peak ${(memory.peak / MIB).toFixed(0)} MiB over ${memory.count} readings\n`,
    );
    expect(memory.peak - memory.first, 'DM memory growth (bytes)').to.be.below(
      MEMORY_HEADROOM_BYTES,
    );
  });
});
