import { join } from 'node:path';
import { inParallel } from './dm-api';
import { API_CONCURRENCY } from './scale.constants';
import { rootPaths, SCALE_TEMPLATE, scaleTemplateArchive } from './scale-template';
import type { ScaleWorld } from './scale-world';

/** Seconds spent in each set-up phase. */
export type Phases = Record<'dmStart' | 'template' | 'enroll' | 'bind', number>;

/**
 * Starts the DM, uploads the template and creates its application, enrolls the agents (pre-registered)
 * and binds root i to agent i; returns how long each phase took.
 */
export async function prepare(
  world: ScaleWorld,
  instances: number,
  processes: number,
  profileDir?: string,
): Promise<Phases> {
  let mark = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const seconds = (now - mark) / 1000;
    mark = now;
    return seconds;
  };
  await world.startDm(profileDir);
  const dmStart = lap();
  const archive = await scaleTemplateArchive(
    join(world.directory, 'template'),
    world.agentNames.length,
    instances,
  );
  await world.api.call('POST', '/templates', 201, archive, 'application/gzip');
  await world.api.call('POST', '/applications', 201, {
    name: SCALE_TEMPLATE,
    template: SCALE_TEMPLATE,
  });
  const template = lap();
  await world.enrollAgents(processes);
  const enroll = lap();
  const roots = rootPaths(world.agentNames.length);
  await inParallel(
    roots.map((path, index) => ({ path, agent: world.agentNames[index] ?? '' })),
    API_CONCURRENCY,
    (binding) =>
      world.api.call('POST', `/applications/${SCALE_TEMPLATE}/instances/bind-agent`, 204, binding),
  );
  return { dmStart, template, enroll, bind: lap() };
}
