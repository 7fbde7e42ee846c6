import { styleText } from 'node:util';
import type { CliOutput } from '../config/cli-context';

/** The styles the CLI uses, by meaning. */
export type Tone = 'good' | 'bad' | 'busy' | 'muted' | 'strong';

const STYLE_OF: Readonly<Record<Tone, Parameters<typeof styleText>[0]>> = {
  good: 'green',
  bad: 'red',
  busy: 'yellow',
  muted: 'gray',
  strong: 'bold',
};

/** The tone of an instance or agent state, so that colour only repeats what the text says. */
export function toneOfState(state: string): Tone {
  if (state === 'deployed_started' || state === 'trusted') {
    return 'good';
  }
  if (/problem|fail|unknown|rejected|revoked|lost/.test(state)) {
    return 'bad';
  }
  if (/ing$|pending/.test(state)) {
    return 'busy';
  }
  return 'muted';
}

/** Colours text only when the output is a terminal and NO_COLOR is not set. */
export class Painter {
  private readonly isEnabled: boolean;

  constructor(output: CliOutput, env: Readonly<Record<string, string | undefined>>) {
    this.isEnabled = output.isTTY === true && env.NO_COLOR === undefined;
  }

  /** The text in the tone's style, or unchanged when colours are off. */
  paint(tone: Tone, text: string): string {
    return this.isEnabled ? styleText(STYLE_OF[tone], text, { validateStream: false }) : text;
  }
}
