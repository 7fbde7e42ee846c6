import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The template's name, as its descriptor declares it. */
export const MARKER_TEMPLATE = 'marker-chain';
/** The instances of the template, roots first; roots are bound to agents. */
export const MARKER_ROOTS = ['/a-vm', '/b-vm'] as const;
/** The script instances: each one starts only after the one before it (it imports its port). */
export const MARKER_CHAIN = ['/a-vm/back', '/b-vm/middle', '/a-vm/front'] as const;
/**
 * How long each step's script sleeps after its marker line: a start outlasts a leader's handover,
 * so that a new leader finds it sent and unanswered, and sends it again.
 */
const STEP_SECONDS: Readonly<Record<string, number>> = {
  deploy: 1,
  start: 4,
  stop: 1,
  undeploy: 1,
};

const GRAPH = `VM {
\tinstaller: target;
\tchildren: Back, Middle, Front;
}

Back {
\tinstaller: script;
\texports: ip, port = 17001;
}

Middle {
\tinstaller: script;
\texports: ip, port = 17002;
\timports: Back.ip, Back.port;
}

Front {
\tinstaller: script;
\timports: Middle.ip, Middle.port;
}
`;

const INSTANCES = `instance of VM {
\tname: a-vm;
\tinstance of Back {
\t\tname: back;
\t}
\tinstance of Front {
\t\tname: front;
\t}
}

instance of VM {
\tname: b-vm;
\tinstance of Middle {
\t\tname: middle;
\t}
}
`;

const DESCRIPTOR = `name = ${MARKER_TEMPLATE}
version = 1.0.0
description = Three script components in a chain; every step appends one line to a marker file.
dsl-id = roboconf-1.0
graph-entry-point = main.graph
instance-entry-point = initial.instances
`;

/**
 * A template written for one test: every step script prints "<instance path> <step>" and appends
 * it to one marker file shared by the agents' hosts (network namespaces share the file system), so
 * that the file tells which steps ran in effect, and how many times.
 */
export class MarkerTemplate {
  private constructor(
    private readonly parent: string,
    /** The template directory, to pack and upload. */
    readonly directory: string,
    /** The marker file the steps append to. */
    readonly markerFile: string,
  ) {}

  /** Writes the template in a new temp directory. */
  static async create(): Promise<MarkerTemplate> {
    const parent = await mkdtemp(join(tmpdir(), 'flotilla-replicas-'));
    await chmod(parent, 0o755);
    const markerFile = join(parent, 'steps.log');
    await writeFile(markerFile, '', { mode: 0o666 });
    await chmod(markerFile, 0o666);
    const directory = join(parent, MARKER_TEMPLATE);
    await writeTemplate(directory, markerFile);
    return new MarkerTemplate(parent, directory, markerFile);
  }

  /** The marker lines written so far, in order. */
  async lines(): Promise<string[]> {
    const text = await readFile(this.markerFile, 'utf8');
    return text.split('\n').filter((line) => line.length > 0);
  }

  /** Removes the template and the marker file. */
  async remove(): Promise<void> {
    await rm(this.parent, { recursive: true, force: true });
  }
}

async function writeTemplate(directory: string, markerFile: string): Promise<void> {
  await mkdir(join(directory, 'descriptor'), { recursive: true });
  await mkdir(join(directory, 'instances'), { recursive: true });
  await writeFile(join(directory, 'descriptor', 'application.properties'), DESCRIPTOR);
  await writeFile(join(directory, 'instances', 'initial.instances'), INSTANCES);
  await mkdir(join(directory, 'graph'), { recursive: true });
  await writeFile(join(directory, 'graph', 'main.graph'), GRAPH);
  for (const component of ['Back', 'Middle', 'Front']) {
    const scripts = join(directory, 'graph', component, 'scripts');
    await mkdir(scripts, { recursive: true });
    for (const [step, seconds] of Object.entries(STEP_SECONDS)) {
      // The line goes to the marker file and to the output the DM streams on /api/events.
      const script = `#!/bin/sh\nset -eu\necho "$ROBOCONF_INSTANCE_PATH ${step}" | tee -a '${markerFile}'\nsleep ${seconds}\n`;
      await writeFile(join(scripts, `${step}.sh`), script, { mode: 0o755 });
    }
  }
}
