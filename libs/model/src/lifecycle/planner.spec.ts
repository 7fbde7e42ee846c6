import { expect } from 'chai';
import {
  at,
  chainApplication,
  component,
  graph,
  instance,
  startedChain,
} from './application.spec-helper';
import { LifecycleError } from './lifecycle.error';
import type { ApplicationSnapshot, LifecycleRequest } from './lifecycle.types';
import { planRequest, type LifecyclePlan } from './planner';

const stepsOf = (plan: LifecyclePlan): string[] =>
  plan.steps.map((step) => `${step.kind} ${step.instancePath}`);
const indexOf = (plan: LifecyclePlan, step: string): number => {
  const index = stepsOf(plan).indexOf(step);
  expect(index, `${step} is planned`).to.be.greaterThan(-1);
  return index;
};
const startAll: LifecycleRequest[] = ['/vm1', '/vm2', '/vm3'].map((instancePath) => ({
  instancePath,
  targetState: 'deployed_started',
  scope: 'subtree',
}));

describe('planRequest', () => {
  describe('deploying and starting', () => {
    it('should deploy the parent first and leave the instance waiting when only the instance is requested', () => {
      const plan = planRequest(chainApplication(), {
        instancePath: '/vm2/app',
        targetState: 'deployed_started',
      });

      expect(stepsOf(plan)).to.deep.equal(['deploy /vm2', 'deploy /vm2/app']);
      expect(plan.finalStates).to.deep.include({
        '/vm2': 'deployed_stopped',
        '/vm2/app': 'waiting_for_ancestor',
        '/vm2/app/war': 'not_deployed',
      });
    });

    it('should leave an instance unresolved, and its children waiting, while a mandatory import is missing', () => {
      const plan = planRequest(chainApplication(), {
        instancePath: '/vm2',
        targetState: 'deployed_started',
        scope: 'subtree',
      });

      expect(stepsOf(plan)).to.deep.equal([
        'deploy /vm2',
        'start /vm2',
        'deploy /vm2/app',
        'deploy /vm2/app/war',
      ]);
      expect(plan.steps.map((step) => step.round)).to.deep.equal([1, 2, 2, 3]);
      expect(plan.finalStates).to.deep.include({
        '/vm2': 'deployed_started',
        '/vm2/app': 'unresolved',
        '/vm2/app/war': 'waiting_for_ancestor',
      });
    });

    it('should start the unresolved importer and its waiting children when the exporter starts', () => {
      const waiting = planRequest(chainApplication(), {
        instancePath: '/vm2',
        targetState: 'deployed_started',
        scope: 'subtree',
      });

      const plan = planRequest(waiting.application, {
        instancePath: '/vm1',
        targetState: 'deployed_started',
        scope: 'subtree',
      });

      expect(stepsOf(plan)).to.deep.equal([
        'deploy /vm1',
        'start /vm1',
        'deploy /vm1/db',
        'start /vm1/db',
        'start /vm2/app',
        'start /vm2/app/war',
      ]);
      expect(
        Object.values(plan.finalStates).filter((state) => state !== 'deployed_started'),
      ).to.deep.equal(['not_deployed', 'not_deployed']);
    });

    it('should start exporters before importers and parents before children when everything is requested', () => {
      const plan = planRequest(chainApplication(), startAll);

      expect(indexOf(plan, 'start /vm1/db')).to.be.lessThan(indexOf(plan, 'start /vm2/app'));
      expect(indexOf(plan, 'start /vm2/app')).to.be.lessThan(indexOf(plan, 'start /vm3/web'));
      expect(indexOf(plan, 'start /vm2/app')).to.be.lessThan(indexOf(plan, 'start /vm2/app/war'));
      expect(indexOf(plan, 'deploy /vm2/app')).to.be.lessThan(indexOf(plan, 'deploy /vm2/app/war'));
      expect(plan.steps.filter((step) => step.kind === 'update')).to.deep.equal([]);
      expect(new Set(Object.values(plan.finalStates))).to.deep.equal(new Set(['deployed_started']));
    });

    it('should plan nothing for an instance already in the requested state', () => {
      expect(
        planRequest(startedChain(), { instancePath: '/vm2/app', targetState: 'deployed_started' })
          .steps,
      ).to.deep.equal([]);
    });
  });

  describe('stopping and undeploying', () => {
    it('should cascade a stop of Db: children first, App unresolved, War waiting, Web unresolved', () => {
      const plan = planRequest(startedChain(), {
        instancePath: '/vm1/db',
        targetState: 'deployed_stopped',
      });

      expect(
        plan.steps.map((step) => [step.round, step.kind, step.instancePath, step.cause]),
      ).to.deep.equal([
        [1, 'stop', '/vm1/db', 'stop'],
        [1, 'stop', '/vm2/app/war', 'ancestor-stopped'],
        [2, 'stop', '/vm2/app', 'imports-lost'],
        [2, 'stop', '/vm3/web', 'imports-lost'],
      ]);
      expect(plan.finalStates).to.deep.include({
        '/vm1/db': 'deployed_stopped',
        '/vm2/app': 'unresolved',
        '/vm2/app/war': 'waiting_for_ancestor',
        '/vm3/web': 'unresolved',
      });
    });

    it('should restart the whole chain by itself when Db is started again', () => {
      const stopped = planRequest(startedChain(), {
        instancePath: '/vm1/db',
        targetState: 'deployed_stopped',
      });

      const plan = planRequest(stopped.application, {
        instancePath: '/vm1/db',
        targetState: 'deployed_started',
      });

      expect(stepsOf(plan)).to.deep.equal([
        'start /vm1/db',
        'start /vm2/app',
        'start /vm2/app/war',
        'start /vm3/web',
      ]);
      expect(new Set(Object.values(plan.finalStates))).to.deep.equal(new Set(['deployed_started']));
    });

    it('should run stop for every descendant, deepest first, and leave them stopped (Roboconf skips their scripts)', () => {
      const plan = planRequest(startedChain(), {
        instancePath: '/vm2/app',
        targetState: 'deployed_stopped',
      });

      expect(stepsOf(plan)).to.deep.equal(['stop /vm2/app/war', 'stop /vm2/app', 'stop /vm3/web']);
      expect(plan.finalStates).to.deep.include({
        '/vm2/app': 'deployed_stopped',
        '/vm2/app/war': 'deployed_stopped',
        '/vm3/web': 'unresolved',
      });
    });

    it('should stop then undeploy every descendant deepest first when a subtree is undeployed', () => {
      const plan = planRequest(startedChain(), {
        instancePath: '/vm2',
        targetState: 'not_deployed',
      });

      const inOrder = (...steps: string[]): void => {
        const indexes = steps.map((step) => indexOf(plan, step));
        expect(indexes, steps.join(' < ')).to.deep.equal([...indexes].sort((a, b) => a - b));
      };
      inOrder('stop /vm2/app/war', 'stop /vm2/app', 'stop /vm2');
      inOrder('undeploy /vm2/app/war', 'undeploy /vm2/app', 'undeploy /vm2');
      inOrder('stop /vm2/app/war', 'undeploy /vm2/app/war');
      inOrder('stop /vm2', 'undeploy /vm2');
      expect(indexOf(plan, 'stop /vm3/web')).to.be.greaterThan(-1);
      expect(plan.finalStates).to.deep.include({
        '/vm2': 'not_deployed',
        '/vm2/app': 'not_deployed',
        '/vm2/app/war': 'not_deployed',
        '/vm3/web': 'unresolved',
        '/vm1/db': 'deployed_started',
      });
    });

    it('should only change the status of an unresolved instance asked to stop, without a script', () => {
      const stopped = planRequest(startedChain(), {
        instancePath: '/vm1/db',
        targetState: 'deployed_stopped',
      });

      const plan = planRequest(stopped.application, {
        instancePath: '/vm3/web',
        targetState: 'deployed_stopped',
      });

      expect(plan.steps).to.deep.equal([]);
      expect(plan.finalStates['/vm3/web']).to.equal('deployed_stopped');
    });
  });

  describe('optional, wildcard and external imports', () => {
    function portal(
      imports: string[],
      runtime: ApplicationSnapshot['runtime'] = {},
    ): ApplicationSnapshot {
      return {
        graph: graph(
          component('Portal', { imports }),
          component('Lb', { exports: { ip: '10.9.0.1' } }),
        ),
        instances: [instance('/portal', 'Portal'), instance('/lb', 'Lb')],
        runtime,
        exports: { '/lb': { 'Lb.ip': '10.9.0.1' } },
      };
    }
    const startPortal: LifecycleRequest = {
      instancePath: '/portal',
      targetState: 'deployed_started',
    };

    it('should start an instance whose only missing imports are optional', () => {
      const plan = planRequest(portal(['Lb.* (optional)']), startPortal);

      expect(stepsOf(plan)).to.deep.equal(['deploy /portal', 'start /portal']);
    });

    it('should give a started importer an update step when an optional exporter starts', () => {
      const running = portal(['Lb.* (optional)'], {
        '/portal': at('deployed_started'),
        '/lb': at('deployed_stopped'),
      });

      const plan = planRequest(running, { instancePath: '/lb', targetState: 'deployed_started' });

      expect(stepsOf(plan)).to.deep.equal(['start /lb', 'update /portal']);
      expect(plan.steps[1]?.importChange).to.include({
        kind: 'added',
        exporterPath: '/lb',
        component: 'Lb',
      });
    });

    it('should wait in unresolved for an external import until a bound application exports it', () => {
      const lonely = planRequest(portal(['external Shop.url']), startPortal);
      expect(lonely.finalStates['/portal']).to.equal('unresolved');

      const bound: ApplicationSnapshot = {
        ...lonely.application,
        external: [
          {
            application: 'shop-prod',
            prefix: 'Shop',
            instancePath: '/vm/shop',
            values: { 'Shop.url': 'http://shop' },
          },
        ],
      };
      const plan = planRequest(bound, startPortal);

      expect(stepsOf(plan)).to.deep.equal(['start /portal']);
    });
  });

  describe('instances importing from their own component', () => {
    function cluster(imports: string[]): ApplicationSnapshot {
      return {
        graph: graph(component('Member', { exports: { ip: undefined }, imports })),
        instances: [
          instance('/m1', 'Member'),
          instance('/m2', 'Member'),
          instance('/m3', 'Member'),
        ],
        runtime: {},
        exports: {
          '/m1': { 'Member.ip': '1' },
          '/m2': { 'Member.ip': '2' },
          '/m3': { 'Member.ip': '3' },
        },
      };
    }
    const startAllMembers: LifecycleRequest[] = ['/m1', '/m2', '/m3'].map((instancePath) => ({
      instancePath,
      targetState: 'deployed_started',
    }));

    it('should tell every member of an optional cluster about every other member exactly once', () => {
      const plan = planRequest(cluster(['Member.* (optional)']), startAllMembers);

      const heard = (path: string): string[] =>
        plan.steps
          .filter((step) => step.kind === 'update' && step.instancePath === path)
          .map((step) => step.importChange?.exporterPath ?? '')
          .sort();
      expect(heard('/m1')).to.deep.equal(['/m2', '/m3']);
      expect(heard('/m2')).to.deep.equal(['/m1', '/m3']);
      expect(heard('/m3')).to.deep.equal(['/m1', '/m2']);
    });

    it('should settle in unresolved when members need each other (a mandatory cycle never starts)', () => {
      const plan = planRequest(cluster(['Member.ip']), startAllMembers);

      expect(stepsOf(plan)).to.deep.equal(['deploy /m1', 'deploy /m2', 'deploy /m3']);
      expect(new Set(Object.values(plan.finalStates))).to.deep.equal(new Set(['unresolved']));
    });
  });

  describe('requests', () => {
    it('should refuse a state users may not request, naming the instance, its state and the request', () => {
      const request = {
        instancePath: '/vm2/app',
        targetState: 'starting',
      } as unknown as LifecycleRequest;

      expect(() => planRequest(chainApplication(), request))
        .to.throw(LifecycleError, 'Instance /vm2/app: state "starting" cannot be requested')
        .with.property('code', 'ILLEGAL_REQUEST');
    });

    it('should name an unknown instance', () => {
      expect(() =>
        planRequest(chainApplication(), { instancePath: '/vm9', targetState: 'deployed_stopped' }),
      )
        .to.throw(LifecycleError, 'No instance at /vm9')
        .with.property('code', 'UNKNOWN_INSTANCE');
    });
  });
});
