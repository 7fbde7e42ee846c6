import { expect } from 'chai';
import { formatDiagnostic } from '../errors';
import { parseModelText } from './model-file.parser';

function errors(text: string): string[] {
  return parseModelText(text, 'f.graph').diagnostics.map(formatDiagnostic);
}

describe('parseModelText', () => {
  describe('blocks', () => {
    it('should read components, facets, imports and properties with their positions', () => {
      const text =
        'import other.graph;\n# comment\nVM {\n  installer: target; # inline\n}\nfacet F {\n}\n';
      const { model, diagnostics } = parseModelText(text, 'f.graph');
      expect(diagnostics).to.deep.equal([]);
      expect(model.imports).to.deep.equal([
        { uri: 'other.graph', position: { file: 'f.graph', line: 1, column: 8 } },
      ]);
      expect(model.blocks.map((block) => [block.kind, block.name])).to.deep.equal([
        ['component', 'VM'],
        ['facet', 'F'],
      ]);
      expect(model.blocks[0].properties).to.deep.equal([
        {
          key: 'installer',
          value: 'target',
          position: { file: 'f.graph', line: 4, column: 3 },
          valuePosition: { file: 'f.graph', line: 4, column: 14 },
        },
      ]);
    });

    it('should keep names with spaces and quoted values holding ; and #', () => {
      const text = 'hello world {\n\texports: a = "x; #y", b;\n}';
      const { model, diagnostics } = parseModelText(text, 'f.graph');
      expect(diagnostics).to.deep.equal([]);
      expect(model.blocks[0].name).to.equal('hello world');
      expect(model.blocks[0].properties[0].value).to.equal('a = "x; #y", b');
    });

    it('should nest instance blocks and accept an empty block on one line', () => {
      const text = 'instance of VM {\n  name: vm;\n  instance of App { }\n}';
      const { model, diagnostics } = parseModelText(text, 'f.instances');
      expect(diagnostics).to.deep.equal([]);
      expect(model.blocks[0].blocks.map((block) => block.name)).to.deep.equal(['App']);
    });

    it('should read keywords in any case', () => {
      const { model } = parseModelText('IMPORT a.graph;\nFACET f {\n}\nInstance Of x {\n}', 'f');
      expect(model.imports).to.have.length(1);
      expect(model.blocks.map((block) => block.kind)).to.deep.equal(['facet', 'instance']);
    });
  });

  describe('errors', () => {
    const cases: [string, string, string[]][] = [
      [
        'a property without ;',
        'A {\n  installer: script\n}',
        ["f.graph:2:20: property 'installer' of component 'A' must end with ';'"],
      ],
      [
        'an unclosed block',
        'A {\n  installer: script;\n',
        ["f.graph:1:1: component 'A' is missing its closing '}'"],
      ],
      [
        'a block without {',
        'A\n  installer: script;\n}',
        ["f.graph:1:2: expected '{' after component 'A'"],
      ],
      [
        'text after {',
        'A { oops\n}',
        ["f.graph:1:5: unexpected 'oops' after '{' of component 'A'"],
      ],
      [
        'text after }',
        'A {\n} oops',
        ["f.graph:2:3: unexpected 'oops' after '}' (one block per line)"],
      ],
      ['an unexpected }', '}\n', ["f.graph:1:1: unexpected '}': no block is open"]],
      [
        'a property outside blocks',
        'installer: x;',
        ["f.graph:1:1: property 'installer' is outside any block"],
      ],
      [
        'a line that is not a property',
        'A {\n  installer\n}',
        ["f.graph:2:3: expected 'name: value;' in component 'A', found 'installer'"],
      ],
      [
        'two properties on one line',
        'A {\n  a: 1; b: 2;\n}',
        ["f.graph:2:9: unexpected 'b: 2;' after property 'a' (one statement per line)"],
      ],
      [
        'an invalid property name',
        'A {\n  a b: 1;\n}',
        ["f.graph:2:3: invalid property name 'a b' in component 'A'"],
      ],
      [
        'an unterminated quote',
        'A {\n  a: "x;\n}',
        [
          'f.graph:2:6: unterminated quoted value (missing closing ")',
          "f.graph:2:9: property 'a' of component 'A' must end with ';'",
        ],
      ],
      [
        'an import without ;',
        'import a.graph',
        ["f.graph:1:15: import 'a.graph' must end with ';'"],
      ],
      ['an empty import', 'import ;', ['f.graph:1:1: import without a file name']],
      [
        'a missing component name',
        'instance of {\n}',
        ["f.graph:1:1: expected a component name after instance of before '{'"],
      ],
      [
        'a component inside an instance',
        'instance of A {\n  B {\n  }\n}',
        ["f.graph:2:3: component 'B' cannot be declared inside instance of 'A'"],
      ],
      [
        'a component not closed before the next',
        'A {\n  installer: x;\nB {\n}',
        ["f.graph:1:1: component 'A' is missing its closing '}' before component 'B' at line 3"],
      ],
    ];
    for (const [what, text, expected] of cases) {
      it(`should report ${what} with its position`, () => {
        expect(errors(text)).to.deep.equal(expected);
      });
    }

    it('should keep parsing after an error and report the later ones too', () => {
      const text = 'A {\n  a: 1\n}\nB { junk\n}\n}\nC {\n';
      expect(errors(text)).to.deep.equal([
        "f.graph:2:7: property 'a' of component 'A' must end with ';'",
        "f.graph:4:5: unexpected 'junk' after '{' of component 'B'",
        "f.graph:6:1: unexpected '}': no block is open",
        "f.graph:7:1: component 'C' is missing its closing '}'",
      ]);
    });

    it('should recover a block opened after a closing brace', () => {
      const { model, diagnostics } = parseModelText('facet a {\n} facet b {\n}', 'f');
      expect(diagnostics.map((item) => item.code)).to.deep.equal(['ONE_STATEMENT_PER_LINE']);
      expect(model.blocks.map((block) => block.name)).to.deep.equal(['a', 'b']);
    });
  });

  describe('hostile input', () => {
    const inputs = [
      '{{{{',
      '}}}}',
      '"',
      ';;;;',
      'a:{',
      'instance of',
      '\0\0',
      '#"\n"#',
      ':'.repeat(1000),
      '{'.repeat(10000),
    ];
    for (const input of inputs) {
      it(`should report positioned diagnostics and never throw for ${JSON.stringify(input.slice(0, 12))}`, () => {
        const { diagnostics } = parseModelText(input, 'f');
        for (const diagnostic of diagnostics) {
          expect(diagnostic.position?.line).to.be.a('number');
        }
      });
    }
  });
});
