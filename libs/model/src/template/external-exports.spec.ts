import { expect } from 'chai';
import { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { parseGraphText } from '../dsl/graph.parser';
import { formatDiagnostic } from '../errors';
import { resolveGraph } from '../graph/graph-loader';
import { parseProperties } from './properties.parser';
import { readExternalExports } from './external-exports';

const GRAPH = resolveGraph([
  parseGraphText('VM {\ninstaller: target;\nexports: ip, config = c;\n}', 'g.graph').graph,
]).graph;

function read(text: string): { exports: Record<string, string>; errors: string[] } {
  const entries = parseProperties(text, 'descriptor/application.properties');
  const collector = new DiagnosticCollector();
  const exports = readExternalExports(
    entries.get('exports'),
    entries.get('exports-prefix')?.value,
    GRAPH,
    collector,
  );
  return { exports: { ...exports }, errors: collector.diagnostics.map(formatDiagnostic) };
}

describe('readExternalExports', () => {
  it('should map aliases to the exported variables, the short name when no alias is given', () => {
    const { exports, errors } = read(
      'exports-prefix = Lamp\nexports = VM.config as c, \\\n  VM.ip\n',
    );
    expect(errors).to.deep.equal([]);
    expect(exports).to.deep.equal({ c: 'VM.config', ip: 'VM.ip' });
  });

  it('should report variables no component exports, malformed items and a missing prefix', () => {
    const { exports, errors } = read('exports = VM.port as p, nodot, VM.ip as a as b\n');
    expect(exports).to.deep.equal({});
    expect(errors).to.deep.equal([
      "descriptor/application.properties:1:1: descriptor/application.properties: 'exports' needs an 'exports-prefix'",
      'descriptor/application.properties:1:1: the descriptor exports VM.port, but no component exports it',
      "descriptor/application.properties:1:1: invalid export 'nodot': write Component.variable [as alias]",
      "descriptor/application.properties:1:1: invalid export 'VM.ip as a as b': write Component.variable [as alias]",
    ]);
  });
});

describe('parseProperties', () => {
  it('should read =, : and space separators, comments and continued lines', () => {
    const entries = parseProperties('# c\n! c\na = 1\nb: 2\nc 3\nd = x \\\n   y\n', 'p');
    expect(
      [...entries].map(([key, entry]) => [key, entry.value, entry.position.line]),
    ).to.deep.equal([
      ['a', '1', 3],
      ['b', '2', 4],
      ['c', '3', 5],
      ['d', 'x y', 6],
    ]);
  });
});
