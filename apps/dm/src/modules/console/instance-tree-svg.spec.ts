import { expect } from 'chai';
import type { ResolvedComponent, ResolvedGraph } from '@flotilla/model';
import { importLinksOf, type TreeInstance } from './import-links';
import { InstanceTreeRenderer } from './instance-tree.renderer';

function component(name: string, part: Partial<ResolvedComponent>): ResolvedComponent {
  return {
    name,
    installer: 'script',
    ancestry: [name],
    facets: [],
    exports: [],
    imports: [],
    children: [],
    isRoot: false,
    ...part,
  };
}

const GRAPH: ResolvedGraph = {
  facets: [],
  components: {
    VM: component('VM', { installer: 'target', isRoot: true, children: ['Db', 'App'] }),
    Db: component('Db', { exports: [{ name: 'Db.port', defaultValue: '5432' }] }),
    App: component('App', {
      imports: [
        { name: 'Db.*', prefix: 'Db', variable: '*', optional: false, external: false },
        { name: 'Ext.url', prefix: 'Ext', variable: 'url', optional: false, external: true },
      ],
    }),
  },
};

const HOSTILE = '<img src=x onerror=alert(1)>';

const INSTANCES: TreeInstance[] = [
  { path: '/vm', name: 'vm', component: 'VM', parentPath: null, actualState: 'deployed_started' },
  { path: '/vm/db', name: 'db', component: 'Db', parentPath: '/vm', actualState: 'problem' },
  {
    path: `/vm/${HOSTILE}`,
    name: HOSTILE,
    component: 'App',
    parentPath: '/vm',
    actualState: 'starting',
  },
];

describe('importLinksOf', () => {
  it('should link an importer to every other instance exporting what it imports, not external ones', () => {
    expect(importLinksOf(GRAPH, INSTANCES)).to.deep.equal([
      { importer: `/vm/${HOSTILE}`, exporter: '/vm/db' },
    ]);
  });
});

describe(InstanceTreeRenderer.name, () => {
  it('should draw one node per instance with its state as text and escape every name', async () => {
    const sut = await new InstanceTreeRenderer().render(INSTANCES, importLinksOf(GRAPH, INSTANCES));
    expect(sut).to.match(/^<svg [^>]*viewBox="[-\d.]+ [-\d.]+ [\d.]+ [\d.]+"/);
    expect(sut.match(/<g class="instance"/g)).to.have.length(3);
    expect(sut)
      .to.include('state: started')
      .and.include('state: problem')
      .and.include('state: starting');
    expect(sut).not.to.include(HOSTILE);
    expect(sut).to.include('&lt;img src=x onerror=alert(1)&gt;');
    expect(sut.match(/class="child-link"/g)).to.have.length(2);
    expect(sut.match(/class="import-link"/g)).to.have.length(1);
  });

  it('should draw new states on the layout of a tree of the same shape', async () => {
    const sut = new InstanceTreeRenderer();
    const links = importLinksOf(GRAPH, INSTANCES);
    const before = await sut.render(INSTANCES, links);
    const started = INSTANCES.map((instance) => ({ ...instance, actualState: 'deployed_started' }));
    const after = await sut.render(started, links);
    expect(after).not.to.equal(before);
    expect(after.match(/state: started/g)).to.have.length(3);
    const positions = (svg: string) => svg.match(/<rect x="[\d.]+" y="[\d.]+"/g);
    expect(positions(after)).to.deep.equal(positions(before));
  });
});
