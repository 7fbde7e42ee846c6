import type { Painter } from '../output/colours';
import { toneOfState } from '../output/colours';
import { renderTable } from '../output/table';
import type { InstanceView } from './dm-views';

/** The ports an instance exports (variables named `port` or `*.port`), as `name=value`. */
function portsOf(instance: InstanceView): string {
  return Object.entries(instance.exports)
    .filter(([name]) => /(^|\.)port$/i.test(name))
    .map(([name, value]) => `${name.split('.').pop() ?? name}=${value}`)
    .join(' ');
}

function depthOf(path: string): number {
  return path.split('/').length - 2;
}

/** Renders instances as a tree (children indented under their parent) with states and agents. */
export function renderInstanceTree(instances: readonly InstanceView[], painter: Painter): string {
  const sorted = [...instances].sort((left, right) => left.path.localeCompare(right.path));
  return renderTable(
    ['INSTANCE', 'COMPONENT', 'STATE', 'DESIRED', 'AGENT', 'PORTS', 'FAILURE'],
    sorted.map((instance) => [
      `${'  '.repeat(depthOf(instance.path))}${instance.name}`,
      instance.component,
      painter.paint(toneOfState(instance.state), instance.state),
      instance.desiredState,
      instance.agentless
        ? `ssh ${instance.agentless} via ${instance.runsOn ?? '-'}`
        : (instance.runsOn ?? instance.agent ?? '-'),
      portsOf(instance),
      instance.lastFailure
        ? `${instance.lastFailure.step ?? 'step'} exit ${String(instance.lastFailure.exitCode ?? '-')}`
        : '',
    ]),
  );
}

/** Whether `path` is `root` or inside its subtree. */
export function isInSubtree(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}
