import { expect } from 'chai';
import { ReconcilerService } from '@flotilla/dm';
import type { StepResultPayload, StepRunPayload } from '@flotilla/protocol';
import { DataSource } from 'typeorm';
import { DeploymentWorld } from './support/deployment-world';
import { baseResult } from './support/simulated-step-runner';

interface LoggedRun {
  readonly jobId: string;
  readonly step: string;
  readonly status: string;
}

interface AuditBody {
  readonly action: string;
  readonly details: { readonly jobId?: string };
}

describe('DM step results that no longer fit', function () {
  this.timeout(120_000);
  let world: DeploymentWorld;
  let deployRun: StepRunPayload;

  beforeEach(async () => {
    world = new DeploymentWorld();
    await world.start();
    await world
      .api('post', '/applications/shop/instances/desired-state')
      .send({ path: '/db-vm', state: 'deployed_stopped' })
      .expect(202);
    await world.waitForStates(['/db-vm/db'], 'deployed_stopped');
    const run = world
      .agent('db-host')
      .steps.runs.find((entry) => entry.instance.path === '/db-vm/db' && entry.step === 'deploy');
    if (run === undefined) {
      throw new Error('the db-host agent never ran the deploy step of /db-vm/db');
    }
    deployRun = run;
  });

  afterEach(async () => {
    await world.stop();
  });

  function resultOf(run: StepRunPayload): StepResultPayload {
    return { ...baseResult(run), status: 'succeeded', exitCode: 0, logTail: '' };
  }

  function applyResult(result: StepResultPayload): Promise<unknown> {
    return world.server.app
      .get(ReconcilerService)
      .applyResult(world.agent('db-host').options.name, result);
  }

  async function dbRuns(): Promise<LoggedRun[]> {
    const path = encodeURIComponent('/db-vm/db');
    const response = await world
      .api('get', `/applications/shop/instances/${path}/logs`)
      .expect(200);
    return response.body as LoggedRun[];
  }

  async function auditOf(action: string): Promise<AuditBody[]> {
    const response = await world
      .api('get', `/audit?action=${action}&target=${encodeURIComponent('instance:shop/db-vm/db')}`)
      .expect(200);
    return response.body as AuditBody[];
  }

  it('should record and settle a result the instance state no longer allows, changing no state', async () => {
    // The DM still awaits the job (as after a crash between its result and the state change)
    // while the instance has already moved on: the reactor refuses `deploy-succeeded`.
    await world.server.app
      .get(DataSource)
      .query(`UPDATE commands SET status = 'sent' WHERE message_id = $1`, [deployRun.jobId]);

    await applyResult(resultOf(deployRun));

    expect((await world.instances()).get('/db-vm/db')?.actualState).to.equal('deployed_stopped');
    const run = (await dbRuns()).find((entry) => entry.jobId === deployRun.jobId);
    expect(run?.status).to.equal('cancelled');
    const ignored = await auditOf('deployment.step.result.ignored');
    expect(ignored.map((entry) => entry.details.jobId)).to.deep.equal([deployRun.jobId]);
  });

  it('should ignore a second result of a finished job by its job id', async () => {
    const recordedBefore = await auditOf('deployment.step.result');

    await applyResult({ ...resultOf(deployRun), status: 'failed', exitCode: 3 });

    const db = (await world.instances()).get('/db-vm/db');
    expect(db?.actualState).to.equal('deployed_stopped');
    expect(db?.lastFailure ?? null).to.equal(null);
    const run = (await dbRuns()).find((entry) => entry.jobId === deployRun.jobId);
    expect(run?.status).to.equal('succeeded');
    expect(await auditOf('deployment.step.result')).to.have.length(recordedBefore.length);
  });
});
