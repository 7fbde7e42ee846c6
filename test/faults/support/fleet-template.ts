import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The application every fault scenario deploys. */
export const FLEET_APP = 'fleet';
/** The template name in its descriptor. */
export const FLEET_TEMPLATE = 'fleet';
/** What the slow component prints when its start step begins, before it sleeps. */
export const SLOW_STEP_BANNER = 'slow start began';
/** How long the slow component's start step sleeps: long enough to be interrupted. */
const SLOW_STEP_SECONDS = 6;

/** The shape of the fleet: hosts (one root each), workers per host, and a slow instance or not. */
export interface FleetShape {
  readonly hosts: readonly string[];
  readonly workersPerHost: number;
  /** Adds one `Slow` instance per host (its start step sleeps, to be interrupted). */
  readonly withSlow: boolean;
}

const GRAPH = `# A fleet of trivial workers on a few hosts; each opens its own port while started.
VM {
\tinstaller: target;
\tchildren: Worker, Slow;
}

Worker {
\tinstaller: script;
\texports: ip, random[port] port;
}

Slow {
\tinstaller: script;
\texports: ip, random[port] port;
}
`;

/** Opens the instance's port while started, closes it when stopped; deploy and undeploy do nothing. */
function scripts(startPrelude: string): Record<string, string> {
  const helper = 'if command -v flotilla-fw >/dev/null 2>&1; then flotilla-fw';
  return {
    'deploy.sh': '#!/bin/sh\nset -eu\necho "deployed $ROBOCONF_INSTANCE_PATH"\n',
    'start.sh': `#!/bin/sh\nset -eu\n${startPrelude}${helper} open "\${port:?}/tcp"; fi\n`,
    'stop.sh': `#!/bin/sh\nset -eu\n${helper} close "\${port:?}/tcp"; fi\n`,
    'undeploy.sh': '#!/bin/sh\nset -eu\necho "undeployed $ROBOCONF_INSTANCE_PATH"\n',
  };
}

/** The root path of a host's VM instance. */
export function rootOf(host: string): string {
  return `/vm-${host}`;
}

/** The instance paths of one host, root first. */
export function pathsOf(shape: FleetShape, host: string): string[] {
  const root = rootOf(host);
  const workers = Array.from({ length: shape.workersPerHost }, (_, index) => workerName(index));
  return [
    root,
    ...workers.map((name) => `${root}/${name}`),
    ...(shape.withSlow ? [`${root}/slow`] : []),
  ];
}

function workerName(index: number): string {
  return `w${String(index + 1).padStart(3, '0')}`;
}

function instancesText(shape: FleetShape): string {
  return shape.hosts
    .map((host) => {
      const children = pathsOf(shape, host)
        .slice(1)
        .map((path) => {
          const name = path.split('/').pop() ?? '';
          return `\tinstance of ${name === 'slow' ? 'Slow' : 'Worker'} {\n\t\tname: ${name};\n\t}\n`;
        });
      return `instance of VM {\n\tname: vm-${host};\n${children.join('')}}\n`;
    })
    .join('\n');
}

/** Writes the fleet template (graph, recipes, generated instances) into `directory`. */
export async function writeFleetTemplate(directory: string, shape: FleetShape): Promise<void> {
  const files: Record<string, string> = {
    'descriptor/application.properties': `name = ${FLEET_TEMPLATE}\nversion = 1.0.0\ndsl-id = roboconf-1.0\ngraph-entry-point = main.graph\ninstance-entry-point = initial.instances\n`,
    'graph/main.graph': GRAPH,
    'instances/initial.instances': instancesText(shape),
  };
  const slowPrelude = `echo "${SLOW_STEP_BANNER} $ROBOCONF_INSTANCE_PATH"\nsleep ${SLOW_STEP_SECONDS}\n`;
  for (const [component, prelude] of [
    ['Worker', ''],
    ['Slow', slowPrelude],
  ] as const) {
    for (const [name, text] of Object.entries(scripts(prelude))) {
      files[`graph/${component}/scripts/${name}`] = text;
    }
  }
  for (const [path, text] of Object.entries(files)) {
    const file = join(directory, path);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, text);
    if (path.endsWith('.sh')) {
      await chmod(file, 0o755);
    }
  }
}
