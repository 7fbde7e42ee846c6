import { expect } from 'chai';
import fc from 'fast-check';
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
];

const dslText = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 80 })
  .map((parts) => parts.join(''));

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
});
