import { expect } from 'chai';
import { QuotedOutput } from './quoted-output';

describe(QuotedOutput.name, () => {
  it('should prefix every line once, whatever the chunk boundaries', () => {
    let text = '';
    const sut = new QuotedOutput({ write: (chunk: string) => (text += chunk) });
    for (const chunk of ['fir', 'st\nsec', 'ond\n', '', 'third']) {
      sut.write(chunk);
    }
    sut.end();
    expect(text).to.equal('  | first\n  | second\n  | third\n');
  });
});
