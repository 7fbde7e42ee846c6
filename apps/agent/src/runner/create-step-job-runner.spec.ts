import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepRunPayload } from '@flotilla/protocol';
import { RecipeBundleCache } from '@flotilla/recipes';
import { loadAgentConfig } from '../config/load-agent-config';
import { InstanceStore } from '../instances/instance-store';
import { createAgentLogger } from '../support/agent-logger';
import { createAgentFirewall, createStepJobRunner } from './create-step-job-runner';
import type { StepExecutor } from './step-job-runner';

type Outcome = Awaited<ReturnType<StepExecutor['execute']>>;

/** An executor that answers every step with `status` and records which steps it saw. */
function recordingExecutor(status: Outcome['status']): StepExecutor & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    execute: (request) => {
      seen.push(`${request.step} ${request.environment.instancePath}`);
      return Promise.resolve({ step: request.step, status, logTail: `${status} by the stand-in` });
    },
  };
}

describe('createStepJobRunner', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flotilla-runner-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function deployOfRoot(): StepRunPayload {
    return {
      jobId: '0b9d7a52-3f4e-4c8a-9e21-5d6f7a8b9c01',
      attempt: 1,
      application: 'app',
      instance: { name: 'vm', path: '/vm', component: 'VM', installer: 'target' },
      step: 'deploy',
      exports: {},
      randomPorts: [],
      imports: {},
      ancestors: [],
      timeoutMs: 1000,
    };
  }

  async function runnerWith(executor: StepExecutor) {
    const config = loadAgentConfig({
      FLOTILLA_AGENT_NAME: 'embedded',
      FLOTILLA_AMQP_URL: 'amqp://user:secret@127.0.0.1:5672/flotilla',
      FLOTILLA_DM_THUMBPRINT: 'a'.repeat(64),
      FLOTILLA_DATA_DIR: dataDir,
      FLOTILLA_FIREWALL: 'none',
      FLOTILLA_LOG_LEVEL: 'error',
    });
    const logger = createAgentLogger(config.name, config.logLevel);
    const instances = new InstanceStore(dataDir);
    const stores = {
      bundles: new RecipeBundleCache(join(dataDir, 'bundles')),
      instances,
      firewall: createAgentFirewall(config, logger),
    };
    return {
      sut: await createStepJobRunner(config, stores, logger, undefined, executor),
      instances,
    };
  }

  describe('with an injected executor', () => {
    it('should run the step through it and move the instance when it succeeds', async () => {
      const executor = recordingExecutor('succeeded');
      const { sut, instances } = await runnerWith(executor);

      const result = await sut.run(deployOfRoot(), () => undefined);

      expect(executor.seen).to.deep.equal(['deploy /vm']);
      expect(result.status).to.equal('succeeded');
      expect((await instances.get('/vm'))?.state).to.equal('deployed_stopped');
    });

    it('should report its failure and leave the instance where it was when it fails', async () => {
      const { sut, instances } = await runnerWith(recordingExecutor('failed'));

      const result = await sut.run(deployOfRoot(), () => undefined);

      expect(result.status).to.equal('failed');
      expect(result.logTail).to.equal('failed by the stand-in');
      expect((await instances.get('/vm'))?.state).to.equal('not_deployed');
    });
  });
});
