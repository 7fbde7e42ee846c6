// Hostile DSL text for the robustness specs, also run in a worker thread to catch hangs (named
// .spec-helper.ts so the build leaves it out: fast-check is a test dependency).
import fc from 'fast-check';
import { parseGraphText } from './graph.parser';
import { parseInstancesText } from './instances.parser';

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

/** Text made of DSL pieces and short random strings. */
export const dslText = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 80 })
  .map((parts) => parts.join(''));

/** Hostile text: DSL fragments, or any UTF-16 code units at all (control characters, lone surrogates). */
export const hostileText = fc.oneof(dslText, fc.string({ unit: 'binary', maxLength: 400 }));

/** Parses a batch of hostile texts as graphs and as instances; returns once all are parsed. */
export function parseHostileBatch(): void {
  fc.assert(
    fc.property(hostileText, (text) => {
      parseGraphText(text, 'hostile.graph');
      parseInstancesText(text, 'hostile.instances');
    }),
    { numRuns: 5000 },
  );
}
