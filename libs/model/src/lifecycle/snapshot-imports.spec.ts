import { expect } from 'chai';
import { at, startedChain } from './application.spec-helper';
import type { LifecycleInput } from './lifecycle.types';
import { react } from './reactor';
import {
  instanceExports,
  resolveInstanceImports,
  resolveSnapshotImports,
} from './snapshot-imports';

describe('resolveSnapshotImports', () => {
  it('should resolve imports from the started instances only', () => {
    const chain = startedChain();
    const sut = resolveSnapshotImports({
      ...chain,
      runtime: { ...chain.runtime, '/vm2/app': at('stopping', 'deployed_stopped') },
    });

    expect(sut['/vm2/app']?.byPrefix['Db']?.map((entry) => entry.exporterPath)).to.deep.equal([
      '/vm1/db',
    ]);
    expect(sut['/vm3/web']).to.include({ isComplete: false });
    expect(sut['/vm3/web']?.missingPrefixes).to.deep.equal(['App']);
  });
});

describe('resolveInstanceImports', () => {
  const stopDb: LifecycleInput = {
    type: 'request',
    request: { instancePath: '/vm1/db', targetState: 'deployed_stopped' },
  };

  it('should give one instance the imports a full resolution gives it, for a snapshot react returned', () => {
    const { application } = react(startedChain(), stopDb);

    for (const path of ['/vm2/app', '/vm3/web', '/vm1/db']) {
      expect(resolveInstanceImports(application, path), path).to.deep.equal(
        resolveSnapshotImports(application)[path],
      );
    }
    expect(resolveInstanceImports(application, '/vm2/app')?.missingPrefixes).to.deep.equal(['Db']);
  });

  it('should give the imports of the snapshot asked about even after react moved on from it', () => {
    const { application } = react(startedChain(), stopDb);
    const next = react(application, {
      type: 'step-succeeded',
      instancePath: '/vm2/app/war',
      step: 'stop',
    });

    expect(next.steps.map((step) => `${step.kind} ${step.instancePath}`)).to.include(
      'stop /vm2/app',
    );
    expect(resolveInstanceImports(application, '/vm3/web')).to.deep.equal(
      resolveSnapshotImports(application)['/vm3/web'],
    );
  });

  it('should know no instance outside the application', () => {
    expect(resolveInstanceImports(startedChain(), '/elsewhere')).to.equal(undefined);
  });
});

describe('instanceExports', () => {
  const changed: LifecycleInput = {
    type: 'exports-changed',
    instancePath: '/vm1/db',
    values: { 'Db.ip': '10.0.0.9', 'Db.port': '5433' },
  };

  it("should give an instance's exports as its snapshot's record holds them", () => {
    const { application } = react(startedChain(), changed);

    expect(instanceExports(application, '/vm1/db')).to.deep.equal(changed.values);
    expect(instanceExports(application, '/vm1/db')).to.deep.equal(application.exports['/vm1/db']);
  });

  it('should give the exports of the snapshot asked about even after react moved on from it', () => {
    const before = react(startedChain(), changed).application;
    const after = react(before, {
      type: 'exports-changed',
      instancePath: '/vm1/db',
      values: { 'Db.ip': '10.0.0.10', 'Db.port': '5434' },
    }).application;

    expect(instanceExports(before, '/vm1/db')).to.deep.equal(changed.values);
    expect(before.exports['/vm1/db']).to.deep.equal(changed.values);
    expect(instanceExports(after, '/vm1/db')['Db.ip']).to.equal('10.0.0.10');
  });
});
