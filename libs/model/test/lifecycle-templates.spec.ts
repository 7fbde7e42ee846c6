import { expect } from 'chai';
import { join } from 'node:path';
import {
  allocateRandomPorts,
  computeInstanceExports,
  formatDiagnostic,
  loadTemplateDirectory,
  planRequest,
  resolveImports,
  type ApplicationSnapshot,
  type LifecyclePlan,
  type LifecycleRequest,
} from '@flotilla/model';
import { MODEL_FIXTURES, ROBOCONF_CORPUS } from './support/corpus';

/** A parsed template as a lifecycle snapshot: nothing deployed, exports computed with a fake address per host. */
function snapshotOf(rootDir: string): ApplicationSnapshot {
  const { template, diagnostics } = loadTemplateDirectory(rootDir, 'template');
  expect(
    diagnostics.filter((item) => item.severity === 'error').map(formatDiagnostic),
  ).to.deep.equal([]);
  if (template === undefined) {
    throw new Error(`${rootDir} did not load`);
  }
  const ports = allocateRandomPorts(template.graph, template.instances);
  const exports = Object.fromEntries(
    template.instances.map((instance, index) => [
      instance.path,
      computeInstanceExports(template.graph, instance, {
        ip: `10.0.0.${index + 1}`,
        randomPorts: ports[instance.path],
      }).values,
    ]),
  );
  return { graph: template.graph, instances: template.instances, runtime: {}, exports };
}

function startEverything(application: ApplicationSnapshot): LifecyclePlan {
  const requests: LifecycleRequest[] = application.instances
    .filter((instance) => instance.parentPath === undefined)
    .map((instance) => ({
      instancePath: instance.path,
      targetState: 'deployed_started',
      scope: 'subtree',
    }));
  return planRequest(application, requests);
}

const stepsOf = (plan: LifecyclePlan): string[] =>
  plan.steps.map((step) => `${step.kind} ${step.instancePath}`);

describe('lifecycle on parsed templates', () => {
  describe('three-tier fixture', () => {
    const application = snapshotOf(join(MODEL_FIXTURES, 'three-tier'));

    it('should start the database, then the application server, then the front end', () => {
      const plan = startEverything(application);

      const starts = stepsOf(plan).filter(
        (step) => step.startsWith('start /') && step.split('/').length > 2,
      );
      expect(starts).to.deep.equal(['start /db-vm/db', 'start /app-vm/app', 'start /web-vm/web']);
      expect(new Set(Object.values(plan.finalStates))).to.deep.equal(new Set(['deployed_started']));
    });

    it('should give the application server the database variables it imports, optional ones included', () => {
      const plan = startEverything(application);
      const started = new Set(application.instances.map((instance) => instance.path));

      const imports = resolveImports({ ...plan.application, startedPaths: started })['/app-vm/app'];

      expect(imports?.byPrefix['Database']?.[0]?.variables).to.deep.equal({
        'Database.ip': '10.0.0.2',
        'Database.port': '15432',
        'Database.name': 'inventory',
      });
    });

    it('should cascade a database stop to the front end and restart both when the database returns', () => {
      const running = startEverything(application).application;

      const stopped = planRequest(running, {
        instancePath: '/db-vm/db',
        targetState: 'deployed_stopped',
      });
      expect(stepsOf(stopped)).to.deep.equal([
        'stop /db-vm/db',
        'stop /app-vm/app',
        'stop /web-vm/web',
      ]);
      expect(stopped.finalStates).to.deep.include({
        '/app-vm/app': 'unresolved',
        '/web-vm/web': 'unresolved',
      });

      const restarted = planRequest(stopped.application, {
        instancePath: '/db-vm/db',
        targetState: 'deployed_started',
      });
      expect(stepsOf(restarted)).to.deep.equal([
        'start /db-vm/db',
        'start /app-vm/app',
        'start /web-vm/web',
      ]);
    });
  });

  describe("Roboconf's applications", () => {
    it('should deploy and start the LAMP example with Apache last', () => {
      const plan = startEverything(
        snapshotOf(join(ROBOCONF_CORPUS, 'platform', 'applications', 'lamp')),
      );

      const starts = stepsOf(plan).filter((step) => /^start \/[^/]+\/.+/.test(step));
      expect(starts).to.deep.equal([
        'start /MySQL VM/MySQL',
        'start /Tomcat VM 1/Tomcat',
        'start /Apache VM/Apache',
      ]);
    });

    it('should give random ports to the exports that need them and keep the overridden one', () => {
      const application = snapshotOf(
        join(ROBOCONF_CORPUS, 'platform', 'applications', 'app-with-random-ports'),
      );

      expect(application.exports['/vm/container1']).to.deep.include({
        'Container1.httpPort': '10000',
        'Container1.ajpPort': '10001',
        'Container1.config': 'test',
      });
      expect(application.exports['/vm/container2']).to.deep.include({ 'Container2.port': '45012' });
      expect(startEverything(application).finalStates['/vm/container2']).to.equal(
        'deployed_started',
      );
    });
  });
});
