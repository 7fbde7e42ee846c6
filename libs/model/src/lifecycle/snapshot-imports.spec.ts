import { expect } from 'chai';
import { at, startedChain } from './application.spec-helper';
import { resolveSnapshotImports } from './snapshot-imports';

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
