import { expect } from 'chai';
import { formatDiagnostic } from '../errors';
import { parseInstancesText } from './instances.parser';

describe('parseInstancesText', () => {
  it('should read nested instances, count, quoted values and other properties', () => {
    const text = [
      'import more.instances;',
      'instance of VM {',
      '  name: vm ;',
      '  count: 3;',
      '  data.ec2.elastic.ip: 1.2.3.4;',
      '  instance of Tomcat {',
      '    name: "tomcat; one";',
      '    Tomcat.port: 9004;',
      '  }',
      '}',
    ].join('\n');
    const { instances, diagnostics } = parseInstancesText(text, 'i.instances');
    expect(diagnostics).to.deep.equal([]);
    expect(instances.imports.map((item) => item.uri)).to.deep.equal(['more.instances']);
    const [vm] = instances.instances;
    expect(vm.component).to.equal('VM');
    expect(vm.name).to.equal('vm');
    expect(vm.count).to.equal(3);
    expect(vm.properties.map(({ key, value }) => [key, value])).to.deep.equal([
      ['data.ec2.elastic.ip', '1.2.3.4'],
    ]);
    expect(vm.children[0].name).to.equal('tomcat; one');
    expect(vm.children[0].properties.map(({ key, value }) => [key, value])).to.deep.equal([
      ['Tomcat.port', '9004'],
    ]);
    expect(vm.children[0].componentPosition).to.deep.equal({
      file: 'i.instances',
      line: 6,
      column: 15,
    });
  });

  const cases: [string, string, string[]][] = [
    [
      'a count that is not a number',
      'instance of A {\n  count: many;\n}',
      ["i.instances:2:10: count 'many' of instance of 'A' must be a whole number from 1 to 10000"],
    ],
    [
      'a zero count',
      'instance of A {\n  count: 0;\n}',
      ["i.instances:2:10: count '0' of instance of 'A' must be a whole number from 1 to 10000"],
    ],
    [
      'a duplicate property',
      'instance of A {\n  name: a;\n  name: b;\n}',
      ["i.instances:3:3: property 'name' is set twice in instance of 'A' (first at line 2)"],
    ],
    [
      'a facet in an instances file',
      'facet F {\n}',
      [
        "i.instances:1:1: facet 'F' in an instances file: graph and instances cannot be mixed in one file",
      ],
    ],
    [
      'a property with = instead of :',
      'instance of A {\n  name = a;\n}',
      ["i.instances:2:3: expected 'name: value;' in instance of 'A', found 'name = a;'"],
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(`should report ${what} with its position`, () => {
      expect(
        parseInstancesText(text, 'i.instances').diagnostics.map(formatDiagnostic),
      ).to.deep.equal(expected);
    });
  }
});
