import { Injectable } from '@nestjs/common';
import { DmError } from '../../errors';
import { AgentsService } from '../agents/agents.service';
import { ApplicationsService } from '../applications/applications.service';
import { InstancesService } from '../applications/instances.service';
import { TemplatesRepository } from '../templates/templates.repository';
import { importLinksOf } from './import-links';
import { InstanceTreeRenderer } from './instance-tree.renderer';
import { OpenPortsRepository } from './open-ports.repository';
import type { ApplicationLiveView } from './views/application.view';

/** Gathers what the application page shows: instances, where they run, open ports, the SVG. */
@Injectable()
export class ApplicationViewService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly instances: InstancesService,
    private readonly templates: TemplatesRepository,
    private readonly openPorts: OpenPortsRepository,
    private readonly agents: AgentsService,
    private readonly trees: InstanceTreeRenderer,
  ) {}

  /** @throws DmError NOT_FOUND for an unknown application (or a template gone from under it). */
  async load(name: string): Promise<ApplicationLiveView> {
    const application = await this.applications.get(name);
    const [instances, template, openPorts, agents] = await Promise.all([
      this.instances.list(name),
      this.templates.find(application.templateName, application.templateVersion),
      this.openPorts.byInstancePath(application.id),
      this.agents.list(),
    ]);
    if (!template) {
      throw new DmError(
        'NOT_FOUND',
        `Template ${application.templateName} "${application.templateVersion}" of application ${name} is missing`,
        { application: name },
      );
    }
    const links = importLinksOf(template.model.graph, instances);
    const svg = await this.trees.render(instances, links);
    const accepted = agents.filter((agent) => agent.state === 'trusted').map((agent) => agent.name);
    return { application, instances, openPorts, svg, agents: accepted };
  }
}
