import { expect } from 'chai';
import { CliError } from '../cli-error';
import { parseImportOverride } from './recipe-subject';

describe(parseImportOverride.name, () => {
  it('should split prefix, variable and value (the value may hold = and dots)', () => {
    expect(parseImportOverride('Db.url=jdbc:pg://10.0.0.5/a=b')).to.deep.equal({
      prefix: 'Db',
      variable: 'url',
      value: 'jdbc:pg://10.0.0.5/a=b',
    });
  });

  for (const text of ['Db', 'Db.ip', '.ip=1', 'ip=1']) {
    it(`should refuse ${text} with a usage error`, () => {
      expect(() => parseImportOverride(text))
        .to.throw(CliError, `--import ${text}: expected Prefix.variable=value`)
        .with.property('code', 'USAGE');
    });
  }
});
