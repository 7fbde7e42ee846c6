import { expect } from 'chai';
import { RealAgentsWorld } from '../e2e/support/real-agents-world';
import { tarGzOf } from '../e2e/support/template-archive';
import type { DmEvent } from '../faults/support/dm-event-stream';
import {
  MARKER_CHAIN,
  MARKER_ROOTS,
  MARKER_TEMPLATE,
  MarkerTemplate,
} from './support/marker-template';
import { ReplicaSet, roleOf, waitForRole, type Replica } from './support/replica-set';

const APP = 'chain';
/** Which agent role (see PLACEMENT in the real agents world) runs each root. */
const ROOT_AGENTS: Readonly<Record<(typeof MARKER_ROOTS)[number], string>> = {
  '/a-vm': 'db-agent',
  '/b-vm': 'app-agent',
};
/** Generous bounds for real processes on a busy machine; never asserted as timings. */
const SETTLE_MS = 90_000;
const HANDOVER_MS = 30_000;

/** The step's own output line, streamed while its script runs. */
function running(path: string, step: string) {
  return (event: DmEvent): boolean =>
    event.type === 'step.output' &&
    event.path === path &&
    typeof event.chunk === 'string' &&
    event.chunk.includes(`${path} ${step}`);
}

function started(path: string) {
  return (event: DmEvent): boolean =>
    event.type === 'instance.state' &&
    event.application === APP &&
    event.path === path &&
    event.to === 'deployed_started';
}

async function actualStates(replica: Replica): Promise<Record<string, string>> {
  const instances = await replica.api.instances(APP);
  return Object.fromEntries(instances.map((instance) => [instance.path, instance.actualState]));
}

/** Uploads the marker template, creates the application and binds its roots to the agents. */
async function prepareApplication(world: RealAgentsWorld, template: MarkerTemplate): Promise<void> {
  await world.client
    .api('post', '/templates')
    .set('Content-Type', 'application/gzip')
    .send(await tarGzOf(template.directory))
    .expect(201);
  await world.client
    .api('post', '/applications')
    .send({ name: APP, template: MARKER_TEMPLATE })
    .expect(201);
  const agents = (await world.client.api('get', '/agents').expect(200)).body as Array<{
    name: string;
  }>;
  for (const [path, role] of Object.entries(ROOT_AGENTS)) {
    const agent = agents.find((entry) => entry.name.startsWith(`${role}-`))?.name;
    await world.client
      .api('post', `/applications/${APP}/instances/bind-agent`)
      .send({ path, agent })
      .expect(204);
  }
}

describe('DM replicas: two processes on one PostgreSQL, the leader killed mid-deployment', function () {
  this.timeout(240_000);
  let world: RealAgentsWorld;
  let template: MarkerTemplate;
  let replicas: ReplicaSet;

  before(async () => {
    world = new RealAgentsWorld();
    template = await MarkerTemplate.create();
    try {
      await world.start();
      await prepareApplication(world, template);
    } catch (error: unknown) {
      await world.stop();
      await template.remove();
      throw error;
    }
    // The in-process DM prepared the database; the replicas take over from here.
    await world.server.close();
    replicas = new ReplicaSet(world.server.config, world.broker.id);
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') {
      process.stderr.write(
        `${replicas?.logs().slice(-20_000)}\n${world.agentLogs().slice(-20_000)}`,
      );
    }
    await replicas?.stop();
    await world?.stop();
    await template?.remove();
  });

  it('should finish the deployment on the follower after a kill -9 of the leader, with no step run twice', async () => {
    const replicaSet = await Promise.all([replicas.start('a'), replicas.start('b')]);
    const roles = await Promise.all(replicaSet.map(roleOf));
    expect([...roles].sort()).to.deep.equal(['follower', 'leader']);
    const [leader, follower] = roles[0] === 'leader' ? replicaSet : [...replicaSet].reverse();
    for (const replica of replicaSet) {
      expect(Object.keys(await actualStates(replica))).to.include.members([...MARKER_CHAIN]);
    }
    const events = follower.api.events;

    // The follower serves the request; the leader dispatches; the follower's stream sees it all.
    await follower.api.call('POST', `/applications/${APP}/actions/start-all`, undefined, [202]);
    await events.waitFor('the middle link starting', running(MARKER_CHAIN[1], 'start'), SETTLE_MS);
    await leader.dm.kill();
    const atKill = await template.lines();

    await waitForRole(follower, 'leader', HANDOVER_MS);
    await events.waitFor('the last link started', started(MARKER_CHAIN[2]), SETTLE_MS);

    expect(atKill, 'killed while the middle link started').to.include(`${MARKER_CHAIN[1]} start`);
    expect(atKill, 'killed before the last link started').not.to.include(
      `${MARKER_CHAIN[2]} start`,
    );
    const states = await actualStates(follower);
    for (const path of [...MARKER_ROOTS, ...MARKER_CHAIN]) {
      expect(states[path], path).to.equal('deployed_started');
    }
    const expected = MARKER_CHAIN.flatMap((path) => [`${path} deploy`, `${path} start`]);
    expect([...(await template.lines())].sort()).to.deep.equal(expected.sort());
    // The new leader sent the unanswered start again, under the job id the agent had already run.
    const sends = (await follower.api.audit('deployment.command.sent')).filter(
      (entry) =>
        entry.target === `instance:${APP}${MARKER_CHAIN[1]}` && entry.details.step === 'start',
    );
    expect(sends.length).to.be.at.least(2);
    expect(new Set(sends.map((entry) => entry.details.jobId)).size).to.equal(1);

    const restarted = await replicas.start(leader === replicaSet[0] ? 'a' : 'b');
    expect(await roleOf(restarted)).to.equal('follower');
    expect(await roleOf(follower)).to.equal('leader');
  });
});
