import { expect } from 'chai';
import { formatDiagnostic } from '../errors';
import { parseGraphText } from './graph.parser';

function errorsOf(text: string): string[] {
  return parseGraphText(text, 'g.graph').diagnostics.map(formatDiagnostic);
}

describe('parseGraphText', () => {
  describe('constructs', () => {
    it('should read a component with every property', () => {
      const text = [
        'import facets.graph;',
        'Tomcat {',
        '  installer: script;',
        '  extends: Server;',
        '  facets: deployable, war host;',
        '  children: War;',
        '  exports: ip, port = 8080, path = "a, b; c", random[port] ajp;',
        '  imports: MySQL.ip, MySQL.* (optional), external Lamp.lb, Other.x (external);',
        '}',
      ].join('\n');
      const { graph, diagnostics } = parseGraphText(text, 'g.graph');
      expect(diagnostics).to.deep.equal([]);
      expect(graph.imports.map((item) => item.uri)).to.deep.equal(['facets.graph']);
      const [tomcat] = graph.components;
      expect(tomcat.installer?.name).to.equal('script');
      expect(tomcat.extends?.name).to.equal('Server');
      expect(tomcat.facets.map((ref) => ref.name)).to.deep.equal(['deployable', 'war host']);
      expect(tomcat.children.map((ref) => ref.name)).to.deep.equal(['War']);
      expect(
        tomcat.exports.map(({ name, defaultValue, random }) => ({ name, defaultValue, random })),
      ).to.deep.equal([
        { name: 'ip', defaultValue: undefined, random: undefined },
        { name: 'port', defaultValue: '8080', random: undefined },
        { name: 'path', defaultValue: 'a, b; c', random: undefined },
        { name: 'ajp', defaultValue: undefined, random: 'port' },
      ]);
      expect(
        tomcat.imports.map(({ name, prefix, variable, optional, external }) => ({
          name,
          prefix,
          variable,
          optional,
          external,
        })),
      ).to.deep.equal([
        { name: 'MySQL.ip', prefix: 'MySQL', variable: 'ip', optional: false, external: false },
        { name: 'MySQL.*', prefix: 'MySQL', variable: '*', optional: true, external: false },
        { name: 'Lamp.lb', prefix: 'Lamp', variable: 'lb', optional: false, external: true },
        { name: 'Other.x', prefix: 'Other', variable: 'x', optional: false, external: true },
      ]);
      expect(tomcat.imports[1].position).to.deep.equal({ file: 'g.graph', line: 8, column: 22 });
    });

    it('should read facets with several super facets and repeated exports', () => {
      const { graph, diagnostics } = parseGraphText(
        'facet F {\n  extends: A, B;\n  exports: x = 1;\n  exports: y;\n}',
        'g',
      );
      expect(diagnostics).to.deep.equal([]);
      expect(graph.facets[0].extends.map((ref) => ref.name)).to.deep.equal(['A', 'B']);
      expect(graph.facets[0].exports.map((item) => item.name)).to.deep.equal(['x', 'y']);
    });

    it('should read (Optional) in any case and random[PORT] in any case', () => {
      const { graph } = parseGraphText(
        'A {\n  exports: Random[PORT] p;\n  imports: B.x  (Optional);\n}',
        'g',
      );
      expect(graph.components[0].exports[0].random).to.equal('port');
      expect(graph.components[0].imports[0].optional).to.equal(true);
    });
  });

  describe('errors', () => {
    const cases: [string, string, string[]][] = [
      [
        'an unknown property',
        'A {\n  colour: red;\n}',
        [
          "g.graph:2:3: unknown property 'colour' in component 'A' (expected one of installer, children, exports, imports, facets, extends)",
        ],
      ],
      [
        'a facet property a facet cannot have',
        'facet F {\n  installer: x;\n}',
        [
          "g.graph:2:3: unknown property 'installer' in facet 'F' (expected one of children, exports, extends)",
        ],
      ],
      [
        'a duplicate property',
        'A {\n  installer: a;\n  installer: b;\n}',
        ["g.graph:3:3: property 'installer' is set twice in component 'A' (first at line 2)"],
      ],
      [
        'an empty value',
        'A {\n  children: ;\n}',
        ["g.graph:2:3: property 'children' of component 'A' has no value"],
      ],
      [
        'an empty list item',
        'A {\n  children: B, , C;\n}',
        ["g.graph:2:16: empty name in the children of component 'A'"],
      ],
      [
        'an invalid name',
        'A {\n  facets: 5x;\n}',
        ["g.graph:2:11: invalid name '5x' in the facets of component 'A'"],
      ],
      [
        'a quoted installer',
        'A {\n  installer: "target";\n}',
        ["g.graph:2:14: invalid installer name '\"target\"' in component 'A'"],
      ],
      ['an invalid component name', 'A$ {\n}', ["g.graph:1:1: invalid component name 'A$'"]],
      [
        'an unknown random kind',
        'A {\n  exports: random[string] s;\n}',
        [
          "g.graph:2:12: exported variable 's' of component 'A': random[string] is unknown, only random[port] exists",
        ],
      ],
      [
        'an invalid exported variable',
        'A {\n  exports: external share;\n}',
        ["g.graph:2:12: invalid exported variable name 'external share' in component 'A'"],
      ],
      [
        'an invalid imported variable',
        'A {\n  imports: B.x!;\n}',
        ["g.graph:2:12: invalid imported variable 'B.x!' in component 'A'"],
      ],
      [
        'two super components',
        'A {\n  extends: B, C;\n}',
        ["g.graph:2:12: component 'A' can extend only one component"],
      ],
      [
        'an instance in a graph file',
        'instance of A {\n}',
        [
          "g.graph:1:1: instance of 'A' in a graph file: graph and instances cannot be mixed in one file",
        ],
      ],
    ];
    for (const [what, text, expected] of cases) {
      it(`should report ${what} with its position`, () => {
        expect(errorsOf(text)).to.deep.equal(expected);
      });
    }

    it('should sort diagnostics by position', () => {
      const lines = errorsOf('A {\n  colour: red;\nB {\n  installer: x\n}').map(
        (line) => line.split(': ')[0],
      );
      expect(lines).to.deep.equal(['g.graph:1:1', 'g.graph:2:3', 'g.graph:4:15']);
    });
  });
});
