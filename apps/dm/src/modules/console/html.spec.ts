import { expect } from 'chai';
import { escapeHtml, html, trusted } from './html';

describe('html', () => {
  it('should escape every interpolated string, in text and in attributes', () => {
    const name = `"><script>alert('x')</script>&\``;
    const sut = html`<a title="${name}">${name}</a>`.value;
    expect(sut).to.equal(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;">' +
        '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;</a>',
    );
  });

  it('should keep nested html and trusted markup, join lists, and drop null, undefined and booleans', () => {
    const items = ['<b>', 'ok'].map((item) => html`<li>${item}</li>`);
    const sut = html`<ul>
        ${items}
      </ul>
      ${null}${undefined}${false}${true}${trusted('<hr/>')}${3}`;
    // Prettier lays html`` templates out on several lines: compare without that whitespace.
    expect(sut.value.replace(/\s+/g, '')).to.equal('<ul><li>&lt;b&gt;</li><li>ok</li></ul><hr/>3');
  });

  describe('escapeHtml', () => {
    for (const [input, output] of [
      ['&', '&amp;'],
      ['<', '&lt;'],
      ['>', '&gt;'],
      ['"', '&quot;'],
      ["'", '&#39;'],
      ['`', '&#96;'],
      ['plain', 'plain'],
    ]) {
      it(`should turn ${input} into ${output}`, () => {
        expect(escapeHtml(input ?? '')).to.equal(output);
      });
    }
  });
});
