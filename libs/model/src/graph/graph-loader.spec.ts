import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGraphText } from '../dsl/graph.parser';
import { formatDiagnostic } from '../errors';
import type { ResolvedGraph } from '../model.types';
import { loadGraph, resolveGraph } from './graph-loader';

function resolve(text: string): { graph: ResolvedGraph; errors: string[] } {
  const parsed = parseGraphText(text, 'g.graph');
  expect(parsed.diagnostics.map(formatDiagnostic)).to.deep.equal([]);
  const { graph, diagnostics } = resolveGraph([parsed.graph]);
  return { graph, errors: diagnostics.map(formatDiagnostic) };
}

const INHERITANCE = `
VM { installer: target; children: deployable, Server; }
facet deployable { exports: zone = eu; }
facet web { extends: deployable; exports: url; children: War; }
Server { installer: script; exports: ip, port = 8080; imports: Db.ip (optional); facets: web; }
Tomcat { extends: Server; exports: port = 9090; imports: Db.ip; }
War { installer: script; imports: Server.port; }
Db { installer: script; facets: deployable; exports: ip; }
`
  .replace(/\{ /g, '{\n')
  .replace(/; /g, ';\n');

describe('resolveGraph', () => {
  describe('inheritance', () => {
    const { graph, errors } = resolve(INHERITANCE);
    const tomcat = graph.components.Tomcat;

    it('should resolve a valid graph without diagnostics', () => {
      expect(errors).to.deep.equal([]);
      expect(graph.facets).to.deep.equal(['deployable', 'web']);
    });

    it('should inherit the installer and facets (with super facets) through extends', () => {
      expect(tomcat.installer).to.equal('script');
      expect(tomcat.ancestry).to.deep.equal(['Tomcat', 'Server']);
      expect(tomcat.facets).to.deep.equal(['web', 'deployable']);
      expect(tomcat.isRoot).to.equal(false);
      expect(graph.components.VM.isRoot).to.equal(true);
    });

    it('should expose inherited exports under both prefixes, the nearest default winning', () => {
      const exports = Object.fromEntries(
        tomcat.exports.map((item) => [item.name, item.defaultValue]),
      );
      expect(exports).to.deep.equal({
        'web.url': undefined,
        'deployable.zone': 'eu',
        'Server.ip': undefined,
        'Tomcat.ip': undefined,
        'Server.port': '9090',
        'Tomcat.port': '9090',
      });
    });

    it('should let an own import override an inherited one', () => {
      expect(tomcat.imports.map(({ name, optional }) => [name, optional])).to.deep.equal([
        ['Db.ip', false],
      ]);
      expect(graph.components.Server.imports[0].optional).to.equal(true);
    });

    it('should admit as children the components having a facet or extending a component', () => {
      expect(graph.components.VM.children).to.deep.equal(['Server', 'Tomcat', 'Db']);
      expect(tomcat.children).to.deep.equal(['War']);
    });
  });

  describe('errors', () => {
    const cases: [string, string, string[]][] = [
      [
        'an unknown child',
        'VM {\ninstaller: target;\nchildren: Cache;\n}',
        [
          "g.graph:3:11: component 'VM' has unknown child 'Cache': no component or facet has this name",
        ],
      ],
      [
        'an unknown facet',
        'VM {\ninstaller: target;\nfacets: F;\n}',
        ["g.graph:3:9: component 'VM' has unknown facet 'F'"],
      ],
      [
        'an unknown super component',
        'VM {\ninstaller: target;\nextends: Host;\n}',
        ["g.graph:3:10: component 'VM' extends 'Host', an unknown component"],
      ],
      [
        'an unknown super facet',
        'facet F {\nextends: G;\n}',
        ["g.graph:2:10: facet 'F' extends unknown facet 'G'"],
      ],
      [
        'a duplicate component',
        'VM {\ninstaller: target;\n}\nVM {\ninstaller: target;\n}',
        [
          "g.graph:1:1: component 'VM' is defined more than once (also at g.graph:4:1)",
          "g.graph:4:1: component 'VM' is defined more than once (also at g.graph:1:1)",
        ],
      ],
      [
        'a component and a facet with one name',
        'T {\ninstaller: target;\n}\nfacet T {\n}',
        [
          "g.graph:1:1: component 'T' has the same name as the facet at g.graph:4:7",
          "g.graph:4:7: facet 'T' has the same name as the component at g.graph:1:1",
        ],
      ],
      [
        'a cycle in extends',
        'A {\ninstaller: target;\nextends: B;\n}\nB {\nextends: A;\n}',
        ['g.graph:1:1: cycle in extends between components: A -> B -> A'],
      ],
      [
        'a cycle in facet extends',
        'facet F {\nextends: G;\n}\nfacet G {\nextends: F;\n}',
        ['g.graph:1:7: cycle in extends between facets: F -> G -> F'],
      ],
      [
        'a cycle in children',
        'VM {\ninstaller: target;\nchildren: A;\n}\nA {\ninstaller: script;\nchildren: B;\n}\nB {\ninstaller: script;\nchildren: A;\n}',
        ['g.graph:5:1: cycle in children: A -> B -> A (an instance would have to contain itself)'],
      ],
      [
        'a missing installer',
        'VM {\nexports: ip;\n}',
        ["g.graph:1:1: component 'VM' has no installer (none set, none inherited through extends)"],
      ],
      [
        'an import nobody exports',
        'VM {\ninstaller: target;\nimports: Db.ip;\n}',
        ["g.graph:3:10: component 'VM' imports Db.ip, but no component or facet is named 'Db'"],
      ],
      [
        'an import of a variable not exported',
        'VM {\ninstaller: target;\nexports: ip;\nimports: VM2.port;\n}\nVM2 {\ninstaller: target;\nexports: ip;\n}',
        ["g.graph:4:10: component 'VM' imports VM2.port, but 'VM2' exports no such variable"],
      ],
      [
        'an unqualified import',
        'VM {\ninstaller: target;\nimports: port;\n}',
        [
          "g.graph:3:10: component 'VM' imports 'port' without saying from which component or facet (write Component.port)",
        ],
      ],
      [
        'a mandatory self import',
        'VM {\ninstaller: target;\nexports: ip;\nimports: VM.*;\n}',
        [
          "g.graph:4:10: component 'VM' imports VM.*, which it exports itself: mark the import (optional)",
        ],
      ],
      [
        'a component nothing can hold',
        'VM {\ninstaller: target;\n}\nApp {\ninstaller: script;\n}',
        [
          "g.graph:4:1: component 'App' can never be instantiated: its installer 'script' is not 'target' (not a root) and no component lists it, a facet of it or a super component as a child",
        ],
      ],
      [
        'a random port with a value',
        'VM {\ninstaller: target;\nexports: random[port] p = 80;\n}',
        [
          "g.graph:3:10: exported variable 'p' of component 'VM' is a random port: it cannot have a value",
        ],
      ],
    ];
    for (const [what, text, expected] of cases) {
      it(`should report ${what}`, () => {
        expect(resolve(text).errors).to.deep.equal(expected);
      });
    }

    it('should accept optional self imports, external imports and wildcards that match', () => {
      const text =
        'VM {\ninstaller: target;\nexports: ip, port = 1;\nimports: VM.* (optional), external App.x, VM2.*;\n}\nVM2 {\ninstaller: target;\nexports: ip;\n}';
      expect(resolve(text).errors).to.deep.equal([]);
    });

    it('should warn about a facet with children that no component has', () => {
      const parsed = parseGraphText(
        'VM {\ninstaller: target;\n}\nfacet F {\nchildren: VM;\n}',
        'g.graph',
      );
      expect(resolveGraph([parsed.graph]).diagnostics.map(formatDiagnostic)).to.deep.equal([
        "g.graph:4:7: warning: facet 'F' has children but no component has this facet: its children are unreachable through it",
      ]);
    });
  });
});

describe('loadGraph', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'flotilla-graph-'));
    mkdirSync(join(directory, 'sub'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('should follow imports relative to the importing file, each file once', () => {
    writeFileSync(
      join(directory, 'main.graph'),
      'import sub/apps.graph;\nimport main.graph;\nVM {\ninstaller: target;\nchildren: App;\n}\n',
    );
    writeFileSync(
      join(directory, 'sub', 'apps.graph'),
      'import ../main.graph;\nApp {\ninstaller: script;\n}\n',
    );
    const { graph, files, diagnostics } = loadGraph(join(directory, 'main.graph'));
    expect(diagnostics).to.deep.equal([]);
    expect(files.map((file) => file.file)).to.deep.equal(['main.graph', 'sub/apps.graph']);
    expect(Object.keys(graph.components)).to.deep.equal(['VM', 'App']);
  });

  it('should report an unreadable import at the import line and skip whole-graph checks', () => {
    writeFileSync(
      join(directory, 'main.graph'),
      'import nowhere.graph;\nVM {\ninstaller: target;\nchildren: App;\n}\n',
    );
    const { diagnostics } = loadGraph(join(directory, 'main.graph'));
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'main.graph:1:8: cannot read nowhere.graph: no such file',
      "main.graph:4:11: component 'VM' has unknown child 'App': no component or facet has this name",
    ]);
  });

  it('should ignore a byte order mark at the start of a file', () => {
    writeFileSync(join(directory, 'main.graph'), '\uFEFFVM {\ninstaller: target;\n}\n');
    const { graph, diagnostics } = loadGraph(join(directory, 'main.graph'));
    expect(diagnostics).to.deep.equal([]);
    expect(Object.keys(graph.components)).to.deep.equal(['VM']);
  });

  it('should report an unreadable entry file', () => {
    const { diagnostics } = loadGraph(join(directory, 'absent.graph'));
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'absent.graph:1:1: cannot read absent.graph: no such file',
    ]);
  });

  it('should refuse a directory given as a graph file', () => {
    const { diagnostics } = loadGraph(join(directory, 'sub'), { displayRoot: directory });
    expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
      'sub:1:1: cannot read sub: not a regular file',
    ]);
  });
});
