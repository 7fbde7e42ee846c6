import { expect } from 'chai';
import { RecipeError } from '../errors';
import { formatPortRule, parsePortRule } from './port-rule';

describe('parsePortRule', () => {
  const valid: [string, number, string][] = [
    ['1/tcp', 1, 'tcp'],
    ['8080/tcp', 8080, 'tcp'],
    ['53/udp', 53, 'udp'],
    ['65535/udp', 65535, 'udp'],
  ];
  for (const [text, port, protocol] of valid) {
    it(`should parse "${text}" as port ${port} over ${protocol}`, () => {
      const rule = parsePortRule(text);
      expect(rule).to.deep.equal({ port, protocol });
      expect(formatPortRule(rule)).to.equal(text);
    });
  }

  const invalid = [
    '0/tcp',
    '65536/tcp',
    '080/tcp',
    '-1/tcp',
    '8080',
    '8080/TCP',
    '8080/sctp',
    '8080/tcp ',
    ' 8080/tcp',
    '80-90/tcp',
    '',
    'abc/udp',
    '1e3/tcp',
  ];
  for (const text of invalid) {
    it(`should refuse "${text}" with PORT_SPEC_INVALID naming the value`, () => {
      let caught: unknown;
      try {
        parsePortRule(text);
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(RecipeError);
      expect((caught as RecipeError).code).to.equal('PORT_SPEC_INVALID');
      expect((caught as RecipeError).message)
        .to.contain(`"${text}"`)
        .and.contain('1-65535');
    });
  }
});
