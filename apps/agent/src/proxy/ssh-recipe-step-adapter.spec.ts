import { expect } from 'chai';
import type {
  RecipeStepRequest,
  SshStepExecutor,
  SshStepOutcome,
  SshStepRequest,
  SshTarget,
} from '@flotilla/recipes';
import { SshRecipeStepAdapter } from './ssh-recipe-step-adapter';

const TARGET: SshTarget = {
  host: '10.0.0.9',
  port: 2222,
  user: 'deploy',
  hostKeyFingerprint: `SHA256:${'D'.repeat(43)}`,
  credential: { kind: 'password', password: 'x' },
};

/** An executor that records its request and answers `outcome`. */
function executorAnswering(outcome: SshStepOutcome) {
  const requests: SshStepRequest[] = [];
  const executor = {
    execute: (request: SshStepRequest) => {
      requests.push(request);
      return Promise.resolve(outcome);
    },
  } as unknown as SshStepExecutor;
  return { executor, requests };
}

/** The request the agent's step runner builds for a step of `/vm/db`. */
function requestOf(
  step: RecipeStepRequest['step'],
  scriptPath: string | undefined,
  environment: Partial<RecipeStepRequest['environment']> & { filesDir: string },
): RecipeStepRequest {
  return {
    step,
    scriptPath,
    cwd: '/data/instances/db',
    environment: {
      instanceName: 'db',
      instancePath: '/vm/db',
      component: 'Db',
      application: 'shop',
      exports: {},
      imports: {},
      ancestors: [],
      agentName: 'proxy-1',
      inherited: {},
      ...environment,
    },
    timeoutMs: 1000,
    outputCapBytes: 1024,
  };
}

describe(SshRecipeStepAdapter.name, () => {
  describe('execute', () => {
    it('should run the step from the bundle that holds its files, without the agent environment', async () => {
      const { executor, requests } = executorAnswering({
        step: 'deploy',
        status: 'succeeded',
        logTail: 'ok',
        setupLog: ['connecting', 'connected'],
      });
      const sut = new SshRecipeStepAdapter(executor, TARGET);

      const outcome = await sut.execute(
        requestOf('deploy', '/data/bundles/shop/1/Db/scripts/deploy.sh', {
          filesDir: '/data/bundles/shop/1/Db/files',
          inherited: { HOME: '/root', SECRET: 'proxy only' },
          home: '/root',
        }),
      );

      expect(outcome.status).to.equal('succeeded');
      expect(requests[0]?.bundleDir).to.equal('/data/bundles/shop/1/Db');
      expect(requests[0]?.environment).not.to.have.any.keys('inherited', 'home', 'filesDir');
      expect(sut.setup).to.deep.equal({
        target: 'deploy@10.0.0.9:2222',
        log: ['connecting', 'connected'],
      });
    });

    it('should report a set-up failure apart, with only the last lines of a long set-up log', async () => {
      const { executor } = executorAnswering({
        step: 'start',
        status: 'failed',
        logTail: '',
        setupLog: Array.from({ length: 100 }, (_, index) => `line ${index}`),
        setupFailure: { phase: 'connect', code: 'SSH_UNREACHABLE', message: 'timed out' },
      });
      const sut = new SshRecipeStepAdapter(executor, TARGET);

      await sut.execute(requestOf('start', undefined, { filesDir: '/data/instances/db/files' }));

      expect(sut.setup?.failure).to.deep.equal({
        phase: 'connect',
        code: 'SSH_UNREACHABLE',
        message: 'timed out',
      });
      expect(sut.setup?.log).to.have.length(64);
      expect(sut.setup?.log[63]).to.equal('line 99');
    });
  });
});
