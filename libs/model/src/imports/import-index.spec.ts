import { expect } from 'chai';
import { component, graph, instance } from '../lifecycle/application.spec-helper';
import { ImportIndex } from './import-index';
import { resolveImports } from './import-resolver';
import type { ExternalExport } from './imports.types';

/** A Cassandra-like cluster (nodes import each other), a client of it, and an external import. */
const GRAPH = graph(
  component('VM', { installer: 'target' }),
  component('Node', { exports: { ip: undefined }, imports: ['Node.ip'] }),
  component('Client', { imports: ['Node.ip', 'Lamp.ip (optional)', 'external Ext.ip'] }),
);
const INSTANCES = [
  instance('/vm1', 'VM'),
  instance('/vm1/node', 'Node'),
  instance('/vm2', 'VM'),
  instance('/vm2/node', 'Node'),
  instance('/vm3', 'VM'),
  instance('/vm3/client', 'Client'),
];
const EXPORTS = {
  '/vm1/node': { 'Node.ip': '10.0.0.1' },
  '/vm2/node': { 'Node.ip': '10.0.0.2' },
};
const EXTERNAL: ExternalExport[] = [
  { application: 'shop', prefix: 'Ext', instancePath: '/lb', values: { 'Ext.ip': '10.9.0.1' } },
];

describe(ImportIndex.name, () => {
  let sut: ImportIndex;

  beforeEach(() => {
    sut = new ImportIndex(GRAPH, INSTANCES, EXPORTS, undefined);
  });

  describe('isComplete', () => {
    it('should not count an instance as its own exporter when the only started node is itself', () => {
      sut.setStarted('/vm1/node', true);

      expect(sut.isComplete('/vm1/node')).to.equal(false);
      expect(sut.isComplete('/vm2/node')).to.equal(true);
    });

    it('should count the other node once a second node starts', () => {
      sut.setStarted('/vm1/node', true);
      sut.setStarted('/vm2/node', true);

      expect(sut.isComplete('/vm1/node')).to.equal(true);
    });

    it('should wait for the bound applications but not for optional imports', () => {
      sut.setStarted('/vm1/node', true);
      expect(sut.isComplete('/vm3/client')).to.equal(false);

      sut.setExternal(EXTERNAL);

      expect(sut.isComplete('/vm3/client')).to.equal(true);
    });
  });

  describe('setStarted', () => {
    it('should name the importers when a prefix gets its first or second exporter (an importer never counts itself), and only then', () => {
      expect(sut.setStarted('/vm1/node', true)).to.have.members([
        '/vm1/node',
        '/vm2/node',
        '/vm3/client',
      ]);
      expect(sut.setStarted('/vm2/node', true)).to.have.members([
        '/vm1/node',
        '/vm2/node',
        '/vm3/client',
      ]);
      expect(sut.setStarted('/vm2/node', true), 'already started').to.deep.equal([]);
      expect(sut.setStarted('/vm3/client', true), 'exports nothing anyone imports').to.deep.equal(
        [],
      );
    });
  });

  describe('setExternal', () => {
    it('should name the external importers when a prefix gains or loses its bound exporters', () => {
      expect(sut.setExternal(EXTERNAL)).to.deep.equal(['/vm3/client']);
      expect(sut.setExternal([...EXTERNAL]), 'same prefixes').to.deep.equal([]);
      expect(sut.setExternal([])).to.deep.equal(['/vm3/client']);
    });
  });

  describe('resolve', () => {
    it('should give an instance the imports a full resolution gives it', () => {
      sut.setStarted('/vm1/node', true);
      sut.setStarted('/vm2/node', true);
      sut.setExternal(EXTERNAL);
      sut.setExports('/vm2/node', { 'Node.ip': '10.0.0.22' });

      const full = resolveImports({
        graph: GRAPH,
        instances: INSTANCES,
        startedPaths: new Set(['/vm1/node', '/vm2/node']),
        exports: { ...EXPORTS, '/vm2/node': { 'Node.ip': '10.0.0.22' } },
        external: EXTERNAL,
      });

      for (const entry of INSTANCES) {
        expect(sut.resolve(entry.path), entry.path).to.deep.equal(full[entry.path]);
      }
      expect(
        sut.resolve('/vm3/client')?.byPrefix['Node']?.map((entry) => entry.exporterPath),
      ).to.deep.equal(['/vm1/node', '/vm2/node']);
    });

    it('should know no instance outside the application', () => {
      expect(sut.resolve('/elsewhere')).to.equal(undefined);
    });
  });
});
