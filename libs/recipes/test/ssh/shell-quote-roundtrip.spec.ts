import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { quoteShellWord, renderEnvironmentFile } from '@flotilla/recipes';

const run = promisify(execFile);

/** Any text a recipe variable may hold: everything but NUL, with shell metacharacters favoured. */
const shellText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "'",
      '"',
      '\\',
      '$',
      '`',
      ';',
      '&',
      '|',
      '\n',
      ' ',
      '*',
      '(',
      ')',
      '!',
      '#',
      '~',
    ),
    fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }).filter((c) => !c.includes('\0')),
  ),
  maxLength: 40,
});

describe('shell quoting read back by /bin/sh', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-quote-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe(quoteShellWord.name, () => {
    it('should make sh print back exactly the word, whatever it holds', async () => {
      await fc.assert(
        fc.asyncProperty(shellText, async (word) => {
          const { stdout } = await run('/bin/sh', ['-c', `printf '%s' ${quoteShellWord(word)}`]);
          expect(stdout).to.equal(word);
        }),
        { numRuns: 60 },
      );
    });
  });

  describe(renderEnvironmentFile.name, () => {
    it('should give a sourcing shell exactly the values, whatever they hold', async () => {
      const file = join(dir, 'step.env');
      await fc.assert(
        fc.asyncProperty(shellText, shellText, async (first, second) => {
          await writeFile(file, renderEnvironmentFile({ first, second }));
          const { stdout } = await run('/bin/sh', [
            '-c',
            `. "$0" && printf '%s\\0%s' "$first" "$second"`,
            file,
          ]);
          expect(stdout).to.equal(`${first}\0${second}`);
        }),
        { numRuns: 60 },
      );
    });
  });
});
