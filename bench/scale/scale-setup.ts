import { join } from 'node:path';
import { inParallel } from './dm-api';
import { BIND_CHUNK, BIND_CONCURRENCY } from './scale.constants';
import { rootPaths, SCALE_TEMPLATE, scaleTemplateArchive } from './scale-template';
import type { EnrollmentPhases, ScaleWorld } from './scale-world';
import { stopwatch } from './stopwatch';

/** Seconds spent in each set-up phase (`enroll` is the sum of the enrollment steps). */
export type Phases = Record<'dmStart' | 'template' | 'enroll' | 'bind', number> & EnrollmentPhases;

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
  const lap = stopwatch();
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
  const enrollment = await world.enrollAgents(processes, profileDir);
  const enroll = lap();
  const roots = rootPaths(world.agentNames.length);
  const bindings = roots.map((path, index) => ({ path, agent: world.agentNames[index] ?? '' }));
  const chunks = Array.from({ length: Math.ceil(bindings.length / BIND_CHUNK) }, (_, index) =>
    bindings.slice(index * BIND_CHUNK, (index + 1) * BIND_CHUNK),
  );
  await inParallel(chunks, BIND_CONCURRENCY, (chunk) =>
    world.api.call('POST', `/applications/${SCALE_TEMPLATE}/instances/bind-agents`, 204, {
      bindings: chunk,
    }),
  );
  return { dmStart, template, enroll, ...enrollment, bind: lap() };
}
