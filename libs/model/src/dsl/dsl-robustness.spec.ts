import { expect } from 'chai';
import fc from 'fast-check';
import type { Diagnostic } from '../errors';
import { parseGraphText } from './graph.parser';
import { parseInstancesText } from './instances.parser';
import { resolveGraph } from '../graph/graph-loader';
import { buildInstances } from '../instances/instances-loader';

/** Pieces of the DSL, so that random text often looks almost right, where parsers break. */
const TOKENS = [
  'VM',
  'facet ',
  'instance of ',
  'import ',
  '{',
  '}',
  ';',
  ':',
  ',',
  '=',
  '#',
  '"',
  '\n',
  ' ',
  '\t',
  'installer: target',
  'installer: script',
  'children: ',
  'exports: ',
  'imports: ',
  'extends: ',
  'facets: ',
  'name: ',
  'count: ',
  'random[port] ',
  '(optional)',
  'external ',
  '.*',
  'A',
  'B.x',
  '9',
  '\r\n',
  '\r',
  '\uFEFF',
];

const dslText = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 80 })
  .map((parts) => parts.join(''));

/** Hostile text: DSL fragments, or any UTF-16 code units at all (control characters, lone surrogates). */
const hostileText = fc.oneof(dslText, fc.string({ unit: 'binary', maxLength: 400 }));

const FILE = 'hostile.txt';

/** An error must say where: the file it was given, a line inside the text, a column from 1. */
function expectPositioned(diagnostic: Diagnostic, text: string): void {
  const where = JSON.stringify(diagnostic);
  expect(diagnostic.message, where).to.be.a('string').and.not.equal('');
  expect(diagnostic.position?.file, where).to.equal(FILE);
  expect(diagnostic.position?.line, where).to.be.within(1, text.split(/\r\n|\r|\n/).length);
  expect(diagnostic.position?.column, where).to.be.at.least(1);
}

describe('DSL robustness', () => {
  it('should turn any graph text into positioned diagnostics, never an exception', () => {
    fc.assert(
      fc.property(dslText, (text) => {
        const parsed = parseGraphText(text, 'f.graph');
        const resolved = resolveGraph([parsed.graph]);
        for (const diagnostic of [...parsed.diagnostics, ...resolved.diagnostics]) {
          expect(diagnostic.message).to.be.a('string').and.not.equal('');
          if (diagnostic.position) {
            expect(diagnostic.position.line).to.be.within(1, text.split(/\r\n|\r|\n/).length);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('should turn any instances text into positioned diagnostics, never an exception', () => {
    const graph = resolveGraph([
      parseGraphText('VM {\ninstaller: target;\nchildren: A;\n}\nA {\ninstaller: script;\n}', 'g')
        .graph,
    ]).graph;
    fc.assert(
      fc.property(dslText, (text) => {
        const parsed = parseInstancesText(text, 'f.instances');
        const built = buildInstances(parsed.instances.instances, graph);
        for (const diagnostic of [...parsed.diagnostics, ...built.diagnostics]) {
          expect(diagnostic.position?.file).to.equal('f.instances');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('should yield graph declarations and only positioned diagnostics for any text', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const sut = parseGraphText(text, FILE);
        expect(sut.graph).to.be.an('object');
        sut.diagnostics.forEach((diagnostic) => expectPositioned(diagnostic, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('should yield instances and only positioned diagnostics for any text', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const sut = parseInstancesText(text, FILE);
        expect(sut.instances.instances).to.be.an('array');
        sut.diagnostics.forEach((diagnostic) => expectPositioned(diagnostic, text));
      }),
      { numRuns: 3000 },
    );
  });

  for (const [label, parse, opening] of [
    ['component', parseGraphText, 'VM {\ninstaller: target;\n'],
    ['instance', parseInstancesText, 'instance of VM {\nname: a;\n'],
  ] as const) {
    it(`should report a positioned error for an unclosed ${label} block, whatever follows`, () => {
      fc.assert(
        fc.property(hostileText, (tail) => {
          const text = `${opening}${tail.replaceAll('}', '')}`;
          const errors = parse(text, FILE).diagnostics.filter((d) => d.severity === 'error');
          expect(errors, text).to.not.be.empty;
          errors.forEach((diagnostic) => expectPositioned(diagnostic, text));
        }),
        { numRuns: 500 },
      );
    });
  }
});
