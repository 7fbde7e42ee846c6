import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOTS_PER_DATABASE } from './scale.constants';

/** The name of the benchmark's template and application. */
export const SCALE_TEMPLATE = 'scale-bench';

/** The child components a root hosts, in order, after its database (when it has one). */
const TIERS = ['app', 'worker', 'cache'] as const;

const GRAPH = `VM {
\tinstaller: target;
\tchildren: Database, AppServer, Worker, Cache;
}
Database {
\tinstaller: script;
\texports: ip, port = 5432;
}
AppServer {
\tinstaller: script;
\texports: ip, port = 8080;
\timports: Database.ip, Database.port;
}
Worker {
\tinstaller: script;
}
Cache {
\tinstaller: script;
\texports: ip, port = 6379;
}
`;

const COMPONENT_OF: Readonly<Record<string, string>> = {
  db: 'Database',
  app: 'AppServer',
  worker: 'Worker',
  cache: 'Cache',
};

/** The root paths (`/vm00001`) of an application with `roots` roots. */
export function rootPaths(roots: number): string[] {
  const width = String(roots).length;
  return Array.from({ length: roots }, (_, index) => `/vm${String(index).padStart(width, '0')}`);
}

/**
 * The children of each root so that roots + children = `instances`: spread evenly, the first of
 * every ROOTS_PER_DATABASE roots starting with a database that every application server imports.
 */
function childrenOf(roots: number, instances: number): string[][] {
  const children = instances - roots;
  return Array.from({ length: roots }, (_, index) => {
    const count = Math.floor(children / roots) + (index < children % roots ? 1 : 0);
    const kinds: string[] = index % ROOTS_PER_DATABASE === 0 ? ['db'] : [];
    for (let tier = 0; kinds.length < count; tier += 1) {
      kinds.push(
        `${TIERS[tier % TIERS.length] ?? 'cache'}${Math.floor(tier / TIERS.length) || ''}`,
      );
    }
    return kinds.slice(0, count);
  });
}

function instancesFile(roots: number, instances: number): string {
  const paths = rootPaths(roots);
  const children = childrenOf(roots, instances);
  return paths
    .map((path, index) => {
      const inner = (children[index] ?? [])
        .map((name) => {
          const component = COMPONENT_OF[name.replace(/\d+$/, '')] ?? 'Cache';
          return `\tinstance of ${component} {\n\t\tname: ${name};\n\t}\n`;
        })
        .join('');
      return `instance of VM {\n\tname: ${path.slice(1)};\n${inner}}\n`;
    })
    .join('');
}

/**
 * Writes the benchmark's template (a VM root per agent; database, application servers importing
 * the databases, workers, caches beneath; every script a no-op) and returns its .tar.gz bytes.
 */
export async function scaleTemplateArchive(
  directory: string,
  roots: number,
  instances: number,
): Promise<Buffer> {
  if (instances < roots) {
    throw new Error(
      `--instances (${instances}) must be at least --agents (${roots}): one root each`,
    );
  }
  await mkdir(join(directory, 'descriptor'), { recursive: true });
  await mkdir(join(directory, 'instances'), { recursive: true });
  await writeFile(
    join(directory, 'descriptor', 'application.properties'),
    `name = ${SCALE_TEMPLATE}\nversion = 1.0.0\ndsl-id = roboconf-1.0\ngraph-entry-point = main.graph\ninstance-entry-point = initial.instances\n`,
  );
  for (const component of Object.values(COMPONENT_OF)) {
    const scripts = join(directory, 'graph', component, 'scripts');
    await mkdir(scripts, { recursive: true });
    for (const step of ['deploy', 'start', 'stop', 'undeploy']) {
      await writeFile(join(scripts, `${step}.sh`), '#!/bin/sh\nexit 0\n');
      await chmod(join(scripts, `${step}.sh`), 0o755);
    }
  }
  await writeFile(join(directory, 'graph', 'main.graph'), GRAPH);
  await writeFile(
    join(directory, 'instances', 'initial.instances'),
    instancesFile(roots, instances),
  );
  const { stdout } = await promisify(execFile)('tar', ['-czf', '-', '-C', directory, '.'], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
