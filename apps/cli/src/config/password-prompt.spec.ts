import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { CliContext, CliInput } from './cli-context';
import { promptPassword, readPasswordFromStdin } from './password-prompt';

/** A terminal stdin that records raw-mode switches; `type()` delivers keystrokes. */
class FakeTerminal extends EventEmitter implements CliInput {
  readonly isTTY = true;
  readonly rawModes: boolean[] = [];

  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }

  resume(): this {
    return this;
  }

  pause(): this {
    return this;
  }

  type(text: string): void {
    this.emit('data', Buffer.from(text));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    // Never read as a stream in these tests.
  }
}

function contextOn(stdin: CliInput): { context: CliContext; stderr: () => string } {
  let stderr = '';
  return {
    context: {
      stdin,
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
    },
    stderr: () => stderr,
  };
}

describe(promptPassword.name, () => {
  it('should read the typed password in raw mode without echoing it, honouring backspace', async () => {
    const terminal = new FakeTerminal();
    const { context, stderr } = contextOn(terminal);
    const password = promptPassword(context, 'Password: ');
    terminal.type('secrx');
    terminal.type('\u007ft!\r');
    expect(await password).to.equal('secrt!');
    expect(stderr()).to.equal('Password: \n');
    expect(terminal.rawModes).to.deep.equal([true, false]);
  });

  it('should abort on Ctrl-C and leave raw mode', async () => {
    const terminal = new FakeTerminal();
    const password = promptPassword(contextOn(terminal).context, 'Password: ');
    terminal.type('ab\u0003');
    await password.then(
      () => expect.fail('the prompt should have been aborted'),
      (error: Error) => expect(error.message).to.equal('Login aborted'),
    );
    expect(terminal.rawModes).to.deep.equal([true, false]);
  });

  it('should refuse to prompt without a terminal and point to --password-stdin', async () => {
    const { context } = contextOn(Readable.from([]));
    await promptPassword(context, 'Password: ').then(
      () => expect.fail('the prompt should have been refused'),
      (error: Error) => expect(error.message).to.contain('use --password-stdin'),
    );
  });
});

describe(readPasswordFromStdin.name, () => {
  it('should drop only the final newline', async () => {
    const { context } = contextOn(Readable.from([Buffer.from(' pass word \n')]));
    expect(await readPasswordFromStdin(context)).to.equal(' pass word ');
  });
});
