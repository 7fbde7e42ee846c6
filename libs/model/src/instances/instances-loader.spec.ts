import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGraphText } from '../dsl/graph.parser';
import { parseInstancesText } from '../dsl/instances.parser';
import { formatDiagnostic } from '../errors';
import { resolveGraph } from '../graph/graph-loader';
import { buildInstances, loadInstances } from './instances-loader';

const GRAPH = resolveGraph([
  parseGraphText(
    [
      'VM {\ninstaller: target;\nchildren: Db, App;\nexports: ip;\n}',
      'Db {\ninstaller: script;\nexports: ip, port = 5432, password, random[port] admin;\n}',
      'App {\ninstaller: script;\nexports: ip, port = 8080;\nimports: Db.ip, Db.port;\n}',
    ].join('\n'),
    'g.graph',
  ).graph,
]).graph;

function build(text: string): ReturnType<typeof buildInstances> & { messages: string[] } {
  const parsed = parseInstancesText(text, 'i.instances');
  expect(parsed.diagnostics.map(formatDiagnostic)).to.deep.equal([]);
  const result = buildInstances(parsed.instances.instances, GRAPH);
  return { ...result, messages: result.diagnostics.map(formatDiagnostic) };
}

describe('buildInstances', () => {
  it('should build paths, parents before children, with overridden exports and other properties', () => {
    const { instances, messages } = build(
      'instance of VM {\nname: host;\ndata.zone: eu;\ninstance of Db {\nname: db;\npassword: s3cret;\nDb.port: 6543;\nchannels: blue;\n}\n}',
    );
    expect(messages).to.deep.equal([]);
    expect(
      instances.map(({ path, parentPath, component }) => ({ path, parentPath, component })),
    ).to.deep.equal([
      { path: '/host', parentPath: undefined, component: 'VM' },
      { path: '/host/db', parentPath: '/host', component: 'Db' },
    ]);
    expect({ ...instances[0].properties }).to.deep.equal({ 'data.zone': 'eu' });
    expect({ ...instances[1].overriddenExports }).to.deep.equal({
      password: 's3cret',
      'Db.port': '6543',
    });
    expect({ ...instances[1].properties }).to.deep.equal({ channels: 'blue' });
  });

  it('should expand count into numbered instances, each with its children', () => {
    const { instances, messages } = build(
      'instance of VM {\nname: vm ;\ncount: 3;\ninstance of App {\nname: app;\n}\n}',
    );
    expect(messages).to.deep.equal([]);
    expect(instances.map((instance) => instance.path)).to.deep.equal([
      '/vm1',
      '/vm1/app',
      '/vm2',
      '/vm2/app',
      '/vm3',
      '/vm3/app',
    ]);
  });

  const cases: [string, string, string[]][] = [
    [
      'an unknown component',
      'instance of Cache {\nname: c;\n}',
      ["i.instances:1:13: instance 'c' is of unknown component 'Cache'"],
    ],
    [
      'a root that is not a target',
      'instance of App {\nname: a;\n}',
      [
        "i.instances:1:13: root instance 'a' is of component 'App' whose installer is 'script': a root instance needs a component with installer 'target'",
      ],
    ],
    [
      'a child its parent cannot hold',
      'instance of VM {\nname: vm;\ninstance of VM {\nname: inner;\n}\n}',
      [
        "i.instances:3:13: instance 'inner' of component 'VM' cannot be a child of an instance of 'VM' (which accepts Db, App)",
      ],
    ],
    [
      'a missing name',
      'instance of VM {\n}',
      ["i.instances:1:1: instance of 'VM' has no name (add 'name: ...;')"],
    ],
    [
      'a name with a slash',
      'instance of VM {\nname: a/b;\n}',
      ["i.instances:1:1: instance 'a/b': an instance name cannot contain '/'"],
    ],
    [
      'a duplicate instance',
      'instance of VM {\nname: vm;\n}\ninstance of VM {\nname: vm;\n}',
      ['i.instances:4:1: instance /vm is defined twice (first at i.instances:1:1)'],
    ],
    [
      'a name taken by a count',
      'instance of VM {\nname: vm;\ncount: 2;\n}\ninstance of VM {\nname: vm2;\n}',
      ['i.instances:5:1: instance /vm2 is defined twice (first at i.instances:1:1)'],
    ],
    [
      'an export without a value',
      'instance of VM {\nname: vm;\ninstance of Db {\nname: db;\n}\n}',
      [
        "i.instances:3:1: instance 'db': exported variable Db.password has no value: give it a default in the graph or write 'password: value;' in the instance",
      ],
    ],
    [
      'an unknown property as a warning',
      'instance of VM {\nname: vm;\ncolour: red;\n}',
      [
        "i.instances:3:1: warning: instance 'vm': property 'colour' is not a variable exported by component 'VM' (passed to recipes as is)",
      ],
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`should report ${what}`, () => {
      expect(build(text).messages).to.deep.equal(expected);
    });
  }

  it('should report a problem of a counted block once, not once per instance', () => {
    expect(
      build('instance of VM {\nname: vm;\ncount: 5;\ncolour: red;\n}').messages,
    ).to.have.length(1);
  });

  it('should check only the files own content without a graph', () => {
    const parsed = parseInstancesText('instance of Anything {\nname: a;\n}', 'i.instances');
    const { instances, diagnostics } = buildInstances(parsed.instances.instances);
    expect(diagnostics).to.deep.equal([]);
    expect(instances.map((instance) => instance.path)).to.deep.equal(['/a']);
  });

  it('should refuse to expand beyond the instance limit', () => {
    const text =
      'instance of VM {\nname: vm;\ncount: 10000;\ninstance of App {\nname: app;\ncount: 10000;\n}\n}';
    const { instances, diagnostics } = buildInstances(
      parseInstancesText(text, 'i').instances.instances,
      GRAPH,
    );
    expect(diagnostics.map((item) => item.message)).to.deep.equal([
      'more than 100000 instances: reduce the counts',
    ]);
    expect(instances).to.have.length(100_000);
  });
});

describe('loadInstances', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'flotilla-instances-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('should follow imports, each file once, and check against the graph', () => {
    writeFileSync(
      join(directory, 'a.instances'),
      'import b.instances;\ninstance of VM {\nname: one;\n}\n',
    );
    writeFileSync(
      join(directory, 'b.instances'),
      'import a.instances;\nimport b.instances;\ninstance of VM {\nname: two;\n}\n',
    );
    const { instances, diagnostics } = loadInstances(join(directory, 'a.instances'), {
      graph: GRAPH,
    });
    expect(diagnostics).to.deep.equal([]);
    expect(instances.map((instance) => instance.path)).to.deep.equal(['/one', '/two']);
  });

  it('should report an unreadable import at its line', () => {
    writeFileSync(
      join(directory, 'a.instances'),
      'instance of VM {\nname: one;\n}\nimport gone;\n',
    );
    const { diagnostics } = loadInstances(join(directory, 'a.instances'), { graph: GRAPH });
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'a.instances:4:8: cannot read gone: no such file',
    ]);
  });
});
