import { expect } from 'chai';
import { diffImports } from './import-diff';
import type { ImportResolution, ResolvedImport } from './imports.types';

function entry(exporterPath: string, variables: Record<string, string>): ResolvedImport {
  return { exporterPath, component: 'Db', prefix: 'Db', external: false, variables };
}

function resolution(entries: Record<string, ResolvedImport[]>): ImportResolution {
  return Object.fromEntries(
    Object.entries(entries).map(([path, imports]) => [
      path,
      { instancePath: path, byPrefix: { Db: imports }, isComplete: true, missingPrefixes: [] },
    ]),
  );
}

describe('diffImports', () => {
  const db1 = entry('/vm1/db', { 'Db.ip': '10.0.0.1', 'Db.port': '3306' });

  it('should report an exporter that appeared as added, with the DEPLOYED_STARTED status', () => {
    const sut = diffImports(resolution({ '/app': [] }), resolution({ '/app': [db1] }));

    expect(sut).to.deep.equal([
      {
        instancePath: '/app',
        changes: [
          {
            kind: 'added',
            exporterPath: '/vm1/db',
            component: 'Db',
            updateStatus: 'DEPLOYED_STARTED',
            prefixes: ['Db'],
            variables: { 'Db.ip': '10.0.0.1', 'Db.port': '3306' },
            changedVariables: ['Db.ip', 'Db.port'],
          },
        ],
      },
    ]);
  });

  it('should report an exporter that disappeared as removed, with its last values and DEPLOYED_STOPPED', () => {
    const sut = diffImports(resolution({ '/app': [db1] }), resolution({ '/app': [] }));

    expect(sut[0]?.changes[0]).to.include({ kind: 'removed', updateStatus: 'DEPLOYED_STOPPED' });
    expect(sut[0]?.changes[0]?.variables).to.deep.equal(db1.variables);
  });

  it('should report only the variables whose value changed', () => {
    const moved = entry('/vm1/db', { 'Db.ip': '10.0.0.9', 'Db.port': '3306' });

    const sut = diffImports(resolution({ '/app': [db1] }), resolution({ '/app': [moved] }));

    expect(sut[0]?.changes[0]).to.include({ kind: 'changed' });
    expect(sut[0]?.changes[0]?.changedVariables).to.deep.equal(['Db.ip']);
  });

  it('should leave out the instances whose imports did not change', () => {
    const db2 = entry('/vm2/db', { 'Db.ip': '10.0.0.2', 'Db.port': '3306' });
    const before = resolution({ '/app': [db1], '/other': [db1] });
    const after = resolution({ '/app': [db1, db2], '/other': [db1] });

    const sut = diffImports(before, after);

    expect(sut.map((changed) => changed.instancePath)).to.deep.equal(['/app']);
    expect(sut[0]?.changes.map((change) => [change.kind, change.exporterPath])).to.deep.equal([
      ['added', '/vm2/db'],
    ]);
  });
});
