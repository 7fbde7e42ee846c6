import { expect } from 'chai';
import { ProgressBar } from './progress-bar';

function capture(isTTY: boolean): {
  output: { isTTY: boolean; write(text: string): void };
  text: () => string;
} {
  let text = '';
  return { output: { isTTY, write: (chunk: string) => (text += chunk) }, text: () => text };
}

describe(ProgressBar.name, () => {
  describe('update', () => {
    it('should print one plain line per change when the output is no terminal', () => {
      const { output, text } = capture(false);
      const sut = new ProgressBar(output, 4);
      sut.update(0, '/vm deploying');
      sut.update(0, '/vm deploying');
      sut.update(2, '/vm/app starting');
      sut.finish();
      expect(text()).to.equal(
        `[${'-'.repeat(30)}] 0/4 /vm deploying\n[${'#'.repeat(15)}${'-'.repeat(15)}] 2/4 /vm/app starting\n`,
      );
    });

    it('should redraw a single line on a terminal and end it on finish', () => {
      const { output, text } = capture(true);
      const sut = new ProgressBar(output, 2);
      sut.update(1, 'a');
      sut.update(2, 'done');
      sut.finish();
      expect(text()).to.equal(
        `\r\x1b[2K[${'#'.repeat(15)}${'-'.repeat(15)}] 1/2 a\r\x1b[2K[${'#'.repeat(30)}] 2/2 done\n`,
      );
    });

    it('should show a full bar when there is nothing to wait for', () => {
      const { output, text } = capture(false);
      new ProgressBar(output, 0).update(0, 'not_deployed');
      expect(text()).to.equal(`[${'#'.repeat(30)}] 0/0 not_deployed\n`);
    });
  });
});
