import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { formatDiagnostic, loadTemplate, type Diagnostic } from '@flotilla/model';
import { zipArchive } from './support/archive-builders';
import { MODEL_FIXTURES } from './support/corpus';

const THREE_TIER = join(MODEL_FIXTURES, 'three-tier');
const BROKEN = join(MODEL_FIXTURES, 'broken');

function errors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((item) => item.severity === 'error').map(formatDiagnostic);
}

function listFiles(root: string, directory = root): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(root, join(directory, entry.name))
      : [relative(root, join(directory, entry.name))],
  );
}

describe('fixture templates', () => {
  describe('three-tier', () => {
    it('should load as a valid template with its graph, instances and recipes', async () => {
      const { template, diagnostics } = await loadTemplate(THREE_TIER);
      expect(diagnostics).to.deep.equal([]);
      expect(template?.name).to.equal('three-tier');
      expect(template?.version).to.equal('1.0.0');
      const components = template?.graph.components ?? {};
      expect(
        Object.values(components).map(({ name, installer, isRoot }) => [name, installer, isRoot]),
      ).to.deep.equal([
        ['VM', 'target', true],
        ['Database', 'script', false],
        ['AppServer', 'script', false],
        ['FrontEnd', 'script', false],
      ]);
      expect(
        components.AppServer.imports.map(({ name, optional }) => [name, optional]),
      ).to.deep.equal([
        ['Database.ip', false],
        ['Database.port', false],
        ['Database.name', true],
      ]);
      expect(components.FrontEnd.imports.map((item) => item.name)).to.deep.equal(['AppServer.*']);
      expect(template?.instances.map((instance) => instance.path)).to.deep.equal([
        '/db-vm',
        '/db-vm/db',
        '/app-vm',
        '/app-vm/app',
        '/web-vm',
        '/web-vm/web',
      ]);
      expect(template?.recipes.AppServer).to.deep.equal([
        'graph/AppServer/scripts/deploy.sh',
        'graph/AppServer/scripts/start.sh',
        'graph/AppServer/scripts/stop.sh',
        'graph/AppServer/scripts/undeploy.sh',
        'graph/AppServer/scripts/update.sh',
      ]);
      expect(template?.recipes.VM).to.deep.equal([]);
    });

    it('should keep its recipes executable', () => {
      for (const file of listFiles(THREE_TIER).filter((name) => name.endsWith('.sh'))) {
        expect(statSync(join(THREE_TIER, file)).mode & 0o111, file).to.equal(0o111);
      }
    });

    describe('as an archive', () => {
      let directory: string;
      beforeEach(() => {
        directory = mkdtempSync(join(tmpdir(), 'flotilla-fixture-archive-'));
      });
      afterEach(() => rmSync(directory, { recursive: true, force: true }));

      const archivers: [string, (target: string) => void][] = [
        [
          '.tar.gz (wrapped in a top directory)',
          (target) => execFileSync('tar', ['-czf', target, '-C', MODEL_FIXTURES, 'three-tier']),
        ],
        ['.tar', (target) => execFileSync('tar', ['-cf', target, '-C', THREE_TIER, '.'])],
        [
          '.zip',
          (target) =>
            writeFileSync(
              target,
              zipArchive(
                listFiles(THREE_TIER).map((name) => ({
                  name,
                  data: readFileSync(join(THREE_TIER, name)),
                  deflate: true,
                  unixMode: 0o100000 | (statSync(join(THREE_TIER, name)).mode & 0o777),
                })),
              ),
            ),
        ],
      ];
      for (const [kind, archive] of archivers) {
        it(`should load the same template from a ${kind} archive, recipes extracted`, async () => {
          const target = join(directory, `three-tier${kind.split(' ')[0]}`);
          archive(target);
          const extractTo = join(directory, 'extracted');
          const { template, diagnostics, extractedTo } = await loadTemplate(target, { extractTo });
          expect(diagnostics).to.deep.equal([]);
          expect(extractedTo).to.equal(extractTo);
          expect(template?.instances).to.have.length(6);
          const start = join(template?.rootDir ?? '', 'graph', 'Database', 'scripts', 'start.sh');
          expect(statSync(start).mode & 0o777).to.equal(0o755);
        });
      }

      it('should look through a wrapping directory beside __MACOSX and make recipes executable', async () => {
        const target = join(directory, 'windows.zip');
        const entries = listFiles(THREE_TIER).map((name) => ({
          name: `three-tier/${name}`,
          data: readFileSync(join(THREE_TIER, name)),
          unixMode: 0o100644,
        }));
        writeFileSync(
          target,
          zipArchive([...entries, { name: '__MACOSX/._three-tier', data: 'x' }]),
        );
        const { template, diagnostics } = await loadTemplate(target, {
          extractTo: join(directory, 'out'),
        });
        expect(diagnostics).to.deep.equal([]);
        expect(template?.rootDir).to.equal(join(directory, 'out', 'three-tier'));
        for (const file of template?.recipes.FrontEnd ?? []) {
          expect(statSync(join(template?.rootDir ?? '', file)).mode & 0o777, file).to.equal(0o755);
        }
      });

      it('should refuse a hostile archive and remove what it extracted', async () => {
        const target = join(directory, 'evil.zip');
        writeFileSync(
          target,
          zipArchive([
            { name: 'descriptor/application.properties', data: 'x' },
            { name: '../../evil', data: 'x' },
          ]),
        );
        const before = readdirSync(tmpdir()).filter((name) =>
          name.startsWith('flotilla-template-'),
        ).length;
        const result = await loadTemplate(target);
        expect(result.template).to.equal(undefined);
        expect(errors(result.diagnostics)).to.deep.equal([
          "evil.zip: entry '../../evil' has a '..' segment",
        ]);
        expect(
          readdirSync(tmpdir()).filter((name) => name.startsWith('flotilla-template-')).length,
        ).to.equal(before);
      });
    });
  });

  describe('broken variants', () => {
    const expected: Record<string, string[]> = {
      'syntax-errors': [
        "graph/main.graph:4:20: property 'children' of component 'VM' must end with ';'",
        "graph/main.graph:7:1: component 'Database' is missing its closing '}' before component 'AppServer' at line 12",
        "graph/main.graph:10:2: unknown property 'colour' in component 'Database' (expected one of installer, children, exports, imports, facets, extends)",
        "graph/main.graph:13:19: property 'installer' of component 'AppServer' must end with ';'",
        "instances/initial.instances:5:4: unexpected 'instance of Database {' after '}' (one block per line)",
        "instances/initial.instances:5:4: instance of 'Database' has no name (add 'name: ...;')",
      ],
      'unknown-references': [
        "graph/main.graph:3:43: component 'VM' has unknown child 'Cache': no component or facet has this name",
        "graph/main.graph:13:10: component 'AppServer' has unknown facet 'monitored'",
        "graph/main.graph:20:11: component 'FrontEnd' extends 'Proxy', an unknown component",
        "graph/main.graph:15:24: component 'AppServer' imports Database.password, but 'Database' exports no such variable",
        "graph/main.graph:21:24: component 'FrontEnd' imports Cache.*, but no component or facet is named 'Cache'",
      ],
      cycles: [
        'graph/main.graph:16:1: cycle in extends between components: Base -> Derived -> Base',
        'graph/main.graph:25:7: cycle in extends between facets: Red -> Blue -> Red',
        'graph/main.graph:6:1: cycle in children: Box -> Crate -> Box (an instance would have to contain itself)',
      ],
      'bad-instances': [
        "instances/initial.instances:2:13: root instance 'lonely' is of component 'AppServer' whose installer is 'script': a root instance needs a component with installer 'target'",
        "instances/initial.instances:8:2: instance 'db': exported variable Database.password has no value: give it a default in the graph or write 'password: value;' in the instance",
        "instances/initial.instances:11:15: instance 'nested' of component 'AppServer' cannot be a child of an instance of 'Database' (which accepts no children)",
        "instances/initial.instances:25:14: instance 'cache' is of unknown component 'Cache'",
        "instances/initial.instances:28:2: instance of 'Database' has no name (add 'name: ...;')",
        'instances/initial.instances:22:2: instance /app-vm/app is defined twice (first at instances/initial.instances:19:2)',
        'instances/initial.instances:38:1: instance /vm1 is defined twice (first at instances/initial.instances:33:1)',
      ],
      'import-errors': [
        "graph/main.graph:4:15: exported variable 'admin' of component 'VM' is a random port: it cannot have a value",
        "graph/main.graph:10:11: component 'AppServer' imports AppServer.port, which it exports itself: mark the import (optional)",
        "graph/main.graph:10:34: component 'AppServer' imports 'port' without saying from which component or facet (write Component.port)",
      ],
      'unreadable-files': [
        'graph/main.graph:1:8: cannot read graph/missing.graph: no such file',
        'descriptor/application.properties:4:1: cannot read instances/nowhere.instances: no such file',
      ],
      'missing-descriptor': [
        'cannot read descriptor/application.properties: no such file: a template needs descriptor/application.properties',
      ],
      'mixed-files': [
        "graph/main.graph:5:1: instance of 'VM' in a graph file: graph and instances cannot be mixed in one file",
        "instances/initial.instances:1:1: facet 'Hosted' in an instances file: graph and instances cannot be mixed in one file",
      ],
    };

    it('should have an expectation for every broken variant', () => {
      expect(readdirSync(BROKEN).sort()).to.deep.equal(Object.keys(expected).sort());
    });

    for (const [variant, lines] of Object.entries(expected)) {
      it(`should refuse ${variant} with exactly its errors`, async () => {
        const result = await loadTemplate(join(BROKEN, variant));
        expect(result.template).to.equal(undefined);
        expect(errors(result.diagnostics)).to.deep.equal(lines);
      });
    }

    it('should print warnings without failing on them', async () => {
      const result = await loadTemplate(join(BROKEN, 'bad-instances'));
      expect(
        result.diagnostics.filter((item) => item.severity === 'warning').map(formatDiagnostic),
      ).to.deep.equal([
        "instances/initial.instances:10:3: warning: instance 'db': property 'colour' is not a variable exported by component 'Database' (passed to recipes as is)",
        "graph/main.graph:6:1: warning: component 'Database' (installer script) has no recipe in graph/Database/scripts/: its steps will do nothing",
        "graph/main.graph:11:1: warning: component 'AppServer' (installer script) has no recipe in graph/AppServer/scripts/: its steps will do nothing",
      ]);
    });
  });

  it('should report a path that does not exist', async () => {
    const missing = join(BROKEN, 'no-such-template');
    expect(existsSync(missing)).to.equal(false);
    const result = await loadTemplate(missing);
    expect(result.diagnostics.map((item) => item.code)).to.deep.equal(['UNREADABLE_FILE']);
  });
});
