import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  formatDiagnostic,
  buildInstances,
  loadGraph,
  loadInstances,
  loadTemplate,
  parseGraphText,
  parseGraphFile,
  parseInstancesText,
  resolveGraph,
  type Diagnostic,
} from '@flotilla/model';
import { filesWith, HAS_ROBOCONF_CORPUS, ROBOCONF_CORPUS, subdirectories } from './support/corpus';

const VALID = join(ROBOCONF_CORPUS, 'platform', 'configurations', 'valid');
const INVALID = join(ROBOCONF_CORPUS, 'platform', 'configurations', 'invalid');
const FLEXIBLES = join(ROBOCONF_CORPUS, 'platform', 'configurations', 'flexibles');

function errors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((item) => item.severity === 'error').map(formatDiagnostic);
}

/** The error each invalid graph must raise, after Roboconf's own tests (parser, converters, validator). */
const INVALID_GRAPHS: Record<string, string> = {
  'broken-graph-1.graph': 'UNCLOSED_BLOCK',
  'broken-graph-2.graph': 'UNCLOSED_BLOCK',
  'component-duplicate-property.graph': 'DUPLICATE_PROPERTY',
  'component-extends-inexisting-component.graph': 'UNKNOWN_COMPONENT',
  'component-extra-char.graph': 'ONE_STATEMENT_PER_LINE',
  'component-inexisting-child-facet.graph': 'UNKNOWN_CHILD',
  'component-inexisting-children.graph': 'UNKNOWN_CHILD',
  'component-invalid-end.graph': 'ONE_STATEMENT_PER_LINE',
  'component-invalid-property.graph': 'SYNTAX_ERROR',
  'component-line-number.graph': 'UNCLOSED_BLOCK',
  'component-missing-closing-cb.graph': 'UNCLOSED_BLOCK',
  'component-missing-opening-cb.graph': 'SYNTAX_ERROR',
  'component-self-imports.graph': 'SELF_IMPORT',
  'component-with-invalid-random-port-value.graph': 'INVALID_RANDOM',
  'component-with-invalid-random-port.graph': 'INVALID_RANDOM',
  'component-with-quoted-values.graph': 'INVALID_INSTALLER',
  'conflicting-names.graph': 'CONFLICTING_NAME',
  'cycle-in-facet.graph': 'EXTENDS_CYCLE',
  'duplicate-component.graph': 'DUPLICATE_COMPONENT',
  'duplicate-facet.graph': 'DUPLICATE_FACET',
  'external-is-keyword-for-imports.graph': 'INVALID_VARIABLE',
  'facet-extra-char.graph': 'ONE_STATEMENT_PER_LINE',
  'facet-invalid-end.graph': 'ONE_STATEMENT_PER_LINE',
  'facet-invalid-property.graph': 'SYNTAX_ERROR',
  'facet-line-number.graph': 'UNCLOSED_BLOCK',
  'facet-missing-closing-cb.graph': 'UNCLOSED_BLOCK',
  'facet-missing-opening-cb.graph': 'SYNTAX_ERROR',
  'facet-without-component.graph': 'UNREACHABLE_COMPONENT',
  'graph-with-invalid-case-imports.graph': 'UNRESOLVED_IMPORT',
  'graph-with-invalid-import.graph': 'UNREADABLE_FILE',
  'graph-with-wildcards-and-errors.graph': 'UNRESOLVED_IMPORT',
  'inexisting-child-in-component.graph': 'UNKNOWN_CHILD',
  'inexisting-child-in-facet.graph': 'UNKNOWN_CHILD',
  'unresolvable-facet.graph': 'UNKNOWN_FACET',
  'unresolved-extended-facet.graph': 'UNKNOWN_FACET',
  'unresolved-facet.graph': 'UNKNOWN_FACET',
};

/** Graph files Roboconf's own tests run through its whole-graph validator with no error. */
const FULLY_VALID_GRAPHS = [
  'complex-hierarchy.graph',
  'component-with-random-ports.graph',
  'graph-with-wildcards.graph',
  'special-names.graph',
];

describe('Roboconf corpus', () => {
  it('should find Roboconf model files beside the checkout', () => {
    expect(
      HAS_ROBOCONF_CORPUS,
      `no Roboconf corpus at ${ROBOCONF_CORPUS}: put ../shared/roboconf-corpus beside the checkout or set FLOTILLA_ROBOCONF_CORPUS`,
    ).to.equal(true);
  });

  describe('platform/configurations/valid', () => {
    for (const name of filesWith(VALID, '.graph')) {
      it(`should parse ${name} without error`, () => {
        expect(errors(parseGraphFile(join(VALID, name), name).diagnostics)).to.deep.equal([]);
      });
    }

    for (const name of filesWith(VALID, '.instances')) {
      it(`should parse ${name} without error`, () => {
        expect(
          errors(parseInstancesText(readFileSync(join(VALID, name), 'utf8'), name).diagnostics),
        ).to.deep.equal([]);
      });
    }

    for (const name of FULLY_VALID_GRAPHS) {
      it(`should resolve and validate ${name} as a whole`, () => {
        expect(errors(loadGraph(join(VALID, name)).diagnostics)).to.deep.equal([]);
      });
    }

    it('should expand the counts of n-medium-instances.instances', () => {
      const text = readFileSync(join(VALID, 'n-medium-instances.instances'), 'utf8');
      const { instances, diagnostics } = buildInstances(
        parseInstancesText(text, 'n.instances').instances.instances,
      );
      expect(diagnostics).to.deep.equal([]);
      expect(instances).to.have.length(3 + 1 + 1 + 1020 * 2);
      expect(instances.at(-1)?.path).to.equal('/i-vm-/i-tomcat-1020/i-war');
    });

    it('should find in n-instances.instances the name conflict Roboconf finds with count', () => {
      const text = readFileSync(join(VALID, 'n-instances.instances'), 'utf8');
      const { diagnostics } = buildInstances(
        parseInstancesText(text, 'n.instances').instances.instances,
      );
      expect(diagnostics.map(formatDiagnostic)).to.deep.equal([
        'n.instances:21:1: instance /i-vm-1 is defined twice (first at n.instances:2:1)',
        'n.instances:21:1: instance /i-vm-2 is defined twice (first at n.instances:16:1)',
      ]);
    });
  });

  describe('platform/configurations/invalid', () => {
    it('should know the expected error of every invalid graph file', () => {
      expect(filesWith(INVALID, '.graph')).to.deep.equal(Object.keys(INVALID_GRAPHS).sort());
    });

    for (const [name, code] of Object.entries(INVALID_GRAPHS)) {
      it(`should reject ${name} with a positioned ${code}`, () => {
        const found = loadGraph(join(INVALID, name)).diagnostics.filter(
          (item) => item.severity === 'error',
        );
        const match = found.find((item) => item.code === code);
        expect(match, found.map(formatDiagnostic).join('\n')).to.not.equal(undefined);
        expect(match?.position?.file).to.equal(name);
        expect(match?.position?.line).to.be.greaterThan(0);
      });
    }

    for (const name of filesWith(INVALID, '.instances')) {
      it(`should reject ${name} with a positioned error`, () => {
        const graph = resolveGraph([
          parseGraphText(
            'VM {\ninstaller: target;\nchildren: Tomcat;\n}\nTomcat {\ninstaller: script;\nexports: port = 1;\nchildren: WAR;\n}\nWAR {\ninstaller: script;\n}',
            'g',
          ).graph,
        ]).graph;
        const useGraph = name === 'inexisting-component.instances';
        const found = errors(
          loadInstances(join(INVALID, name), useGraph ? { graph } : {}).diagnostics,
        );
        expect(found).to.not.deep.equal([]);
        expect(found.every((line) => line.startsWith(`${name}:`))).to.equal(true, found.join('\n'));
      });
    }

    it('should reject mix.txt, which mixes graph and instances', () => {
      const text = readFileSync(join(INVALID, 'mix.txt'), 'utf8');
      expect(parseGraphText(text, 'mix.txt').diagnostics.map((item) => item.code)).to.deep.equal([
        'MIXED_FILE_TYPE',
      ]);
    });
  });

  describe('platform/configurations/flexibles', () => {
    for (const name of filesWith(FLEXIBLES, '.graph')) {
      it(`should report ${name} with positioned diagnostics and no exception`, () => {
        for (const diagnostic of loadGraph(join(FLEXIBLES, name)).diagnostics) {
          expect(diagnostic.position?.file).to.equal(name);
        }
      });
    }
  });

  describe('examples', () => {
    for (const directory of subdirectories(join(ROBOCONF_CORPUS, 'examples'))) {
      it(`should load the template ${basename(directory)} as valid`, async () => {
        const result = await loadTemplate(directory);
        expect(errors(result.diagnostics)).to.deep.equal([]);
        expect(result.template?.name).to.equal(basename(directory));
        expect(result.template?.instances.length).to.be.greaterThan(0);
      });
    }
  });

  describe('platform/applications', () => {
    for (const directory of subdirectories(join(ROBOCONF_CORPUS, 'platform', 'applications'))) {
      if (basename(directory) === 'app-with-external-dependencies') {
        it('should refuse app-with-external-dependencies, whose instances file is missing', async () => {
          const result = await loadTemplate(directory);
          expect(errors(result.diagnostics)).to.deep.equal([
            'descriptor/application.properties:6:1: cannot read instances/example.instances: no such file',
          ]);
        });
        continue;
      }
      it(`should load the template ${basename(directory)} as valid`, async () => {
        const result = await loadTemplate(directory);
        expect(errors(result.diagnostics)).to.deep.equal([]);
        expect(result.template).to.not.equal(undefined);
      });
    }

    it('should apply extends to component-extensions like Roboconf (exports under every prefix)', async () => {
      const result = await loadTemplate(
        join(ROBOCONF_CORPUS, 'platform', 'applications', 'component-extensions'),
      );
      const specific = result.template?.instances.find((instance) => instance.name === 'specific');
      expect({ ...specific?.overriddenExports }).to.deep.equal({
        'PetalsJBIComponent.componentId': 'comp',
        'PetalsSL.componentId': 'sl',
        'PetalsSLPostgreSQL.componentId': 'last',
      });
    });
  });
});
