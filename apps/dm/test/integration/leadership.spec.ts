import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DeploymentEvents, DmBroker, LeadershipService, type DeploymentEvent } from '@flotilla/dm';
import { connect } from 'amqplib';
import { TEST_AMQP_URL } from '../../../../libs/messaging/testing';
import { Client } from 'pg';
import { filter, firstValueFrom, take, takeWhile, timeout, toArray } from 'rxjs';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestDm, type TestDm } from './support/test-dm';

/** Generous bounds for waiting on an awaited change; never asserted as timings. */
const CHANGE_TIMEOUT_MS = 15_000;

const EVENT: DeploymentEvent = {
  type: 'instance.state',
  application: 'shop',
  path: '/vm',
  from: 'not_deployed',
  to: 'deploying',
  event: 'deploy',
};

async function roleOf(dm: TestDm): Promise<string> {
  const response = await request(dm.server.url).get('/api/health').expect(200);
  return (response.body as { role: string }).role;
}

function leadershipOf(dm: TestDm): LeadershipService {
  return dm.server.app.get(LeadershipService);
}

/** Resolves when `dm` takes `role`, after `act` ran. */
async function whenRole(dm: TestDm, role: string, act: () => Promise<unknown>): Promise<void> {
  const changed = firstValueFrom(
    leadershipOf(dm)
      .roleChanges()
      .pipe(
        filter((next) => next === role),
        timeout(CHANGE_TIMEOUT_MS),
      ),
  );
  await act();
  if (leadershipOf(dm).role === role) {
    void changed.catch(() => undefined); // it took the role before the wait began
    return;
  }
  await changed;
}

async function terminateLeadershipSessions(database: TestDatabase): Promise<void> {
  const client = new Client({ connectionString: database.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'flotilla-dm-leadership'`,
    );
  } finally {
    await client.end();
  }
}

/**
 * Ends the leadership sessions until `to` leads. A replica that just lost the lock campaigns again
 * on its own timer and may win it back before `to` does, so the hand-over is retried.
 */
async function moveLeadership(database: TestDatabase, from: TestDm, to: TestDm): Promise<void> {
  const deadline = Date.now() + CHANGE_TIMEOUT_MS;
  while (leadershipOf(to).role !== 'leader') {
    if (Date.now() > deadline) {
      throw new Error(`leadership did not move within ${CHANGE_TIMEOUT_MS} ms`);
    }
    if (leadershipOf(from).role === 'leader') {
      await whenRole(from, 'follower', () => terminateLeadershipSessions(database));
    }
    await leadershipOf(to).check();
  }
  await leadershipOf(from).whenSettled();
  await leadershipOf(to).whenSettled();
}

/** How many consumers the broker counts on a queue (read with a client of its own). */
async function consumersOf(queue: string): Promise<number> {
  const model = await connect(TEST_AMQP_URL);
  try {
    const channel = await model.createChannel();
    return (await channel.checkQueue(queue)).consumerCount;
  } finally {
    await model.close();
  }
}

describe('DM replicas on one PostgreSQL database', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let first: TestDm;
  let second: TestDm;

  beforeEach(async () => {
    database = await createTestDatabase('postgresql');
    first = await startTestDm(database);
    second = await startTestDm(database);
  });

  afterEach(async () => {
    await second?.server.close();
    await first?.server.close();
    await database?.drop();
  });

  describe(LeadershipService.name, () => {
    it('should make the first replica the leader and the second a follower, both healthy', async () => {
      expect(await roleOf(first)).to.equal('leader');
      expect(await roleOf(second)).to.equal('follower');
    });

    it('should expose the role and the elections in the metrics of each replica', async () => {
      const leading = await request(first.server.url).get('/metrics').expect(200);
      const following = await request(second.server.url).get('/metrics').expect(200);

      expect(leading.text).to.match(/^flotilla_dm_leader 1$/m);
      expect(leading.text).to.match(/^flotilla_dm_leader_elections 1$/m);
      expect(following.text).to.match(/^flotilla_dm_leader 0$/m);
      expect(following.text).to.match(/^flotilla_dm_leader_elections 0$/m);
    });

    it('should hand leadership over when the leader shuts down', async () => {
      await first.server.close();

      await whenRole(second, 'leader', () => leadershipOf(second).check());

      expect(await roleOf(second)).to.equal('leader');
    });

    it("should consume the DM's queues on the leader only, and move them with the leadership", async () => {
      const { dmInboxQueue, dmEnrollQueue } = first.broker.topology;
      // The second replica (another broker namespace) would race the third for the lock.
      await second.server.close();
      // A third replica sharing the first one's broker namespace, as replicas of one DM do.
      const third = await startTestDm(database, { FLOTILLA_AMQP_NAMESPACE: first.broker.id });
      try {
        expect(await consumersOf(dmInboxQueue)).to.equal(1);

        await moveLeadership(database, first, third);
        await third.server.app.get(DmBroker).whenReady();

        expect(await roleOf(third)).to.equal('leader');
        expect(await consumersOf(dmInboxQueue)).to.equal(1);
        expect(await consumersOf(dmEnrollQueue)).to.equal(1);
        await third.server.close();
        // The first replica leads again, alone.
        await whenRole(first, 'leader', () => leadershipOf(first).check());
        await leadershipOf(first).whenSettled();
        await first.server.app.get(DmBroker).whenReady();
        expect(await consumersOf(dmInboxQueue)).to.equal(1);
      } finally {
        await third.server.close();
      }
    });

    it('should step down at once when its session ends, and a replica take over', async () => {
      // Resolves only once the first replica has stepped down.
      await whenRole(first, 'follower', () => terminateLeadershipSessions(database));

      await moveLeadership(database, first, second);
      await leadershipOf(first).check();

      expect(await roleOf(second)).to.equal('leader');
      expect(await roleOf(first)).to.equal('follower');
    });
  });

  describe('openDatabase', () => {
    it('should migrate a fresh database once when two replicas start at the same time', async () => {
      const fresh = await createTestDatabase('postgresql');
      const otherData = await mkdtemp(join(tmpdir(), 'flotilla-dm-replica-'));
      const started = await Promise.allSettled([
        startTestDm(fresh),
        startTestDm(fresh, { FLOTILLA_DATA_DIR: otherData }),
      ]);
      try {
        const dms = started.map((outcome) => {
          if (outcome.status === 'rejected') {
            throw outcome.reason;
          }
          return outcome.value;
        });
        expect((await Promise.all(dms.map(roleOf))).sort()).to.deep.equal(['follower', 'leader']);
      } finally {
        for (const outcome of started) {
          if (outcome.status === 'fulfilled') {
            await outcome.value.server.close();
          }
        }
        await fresh.drop();
        await rm(otherData, { recursive: true, force: true });
      }
    });
  });

  describe('ReplicaEventsRelay', () => {
    it("should publish one replica's deployment events on the other's stream, once", async () => {
      const marker: DeploymentEvent = { ...EVENT, path: '/marker' };
      const onSecond = firstValueFrom(
        second.server.app.get(DeploymentEvents).stream().pipe(take(1), timeout(CHANGE_TIMEOUT_MS)),
      );
      // PostgreSQL delivers notifications in commit order: an echo of the first replica's own
      // event would reach it before the marker the second replica sends after receiving it.
      const onFirst = firstValueFrom(
        first.server.app
          .get(DeploymentEvents)
          .stream()
          .pipe(
            takeWhile((event) => event.path !== marker.path, true),
            toArray(),
            timeout(CHANGE_TIMEOUT_MS),
          ),
      );

      first.server.app.get(DeploymentEvents).publish(EVENT);
      expect(await onSecond).to.deep.equal(EVENT);
      second.server.app.get(DeploymentEvents).publish(marker);

      expect(await onFirst).to.deep.equal([EVENT, marker]);
    });
  });
});
