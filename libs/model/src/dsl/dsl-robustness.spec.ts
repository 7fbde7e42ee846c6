import { expect } from 'chai';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { finishesWithin } from '../../../../test/support/finishes-within';
import type { Diagnostic } from '../errors';
import { parseGraphText } from './graph.parser';
import { parseInstancesText } from './instances.parser';
import { resolveGraph } from '../graph/graph-loader';
import { buildInstances } from '../instances/instances-loader';
import { dslText, hostileText } from './dsl-hostile-text.spec-helper';

const FILE = 'hostile.txt';
/** A batch of parses that cannot take this long unless a parser hangs: a bound, not a timing. */
const HANG_LIMIT_MS = 60_000;

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

  it('should return from every parse of a batch of hostile texts (run in a worker, so a hang fails)', async function () {
    this.timeout(HANG_LIMIT_MS + 10_000);
    await finishesWithin(
      resolve(__dirname, 'dsl-hostile-text.spec-helper.ts'),
      'parseHostileBatch',
      HANG_LIMIT_MS,
    );
  });
});
