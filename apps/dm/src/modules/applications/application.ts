import type { InstanceState, RequestableState } from '@flotilla/model';

/** The instance property that binds a root instance to an agent by name in the instances file. */
export const AGENT_PROPERTY = 'agent';

/** An application as services and the API see it. */
export interface Application {
  readonly id: string;
  readonly name: string;
  readonly templateName: string;
  readonly templateVersion: string;
  readonly bindings: Readonly<Record<string, readonly string[]>>;
  readonly instanceCount: number;
  readonly createdAt: Date;
}

/** An instance of an application. */
export interface Instance {
  readonly id: string;
  readonly path: string;
  readonly name: string;
  readonly component: string;
  readonly parentPath: string | null;
  readonly desiredState: RequestableState;
  readonly actualState: InstanceState;
  readonly agentName: string | null;
  readonly exports: Readonly<Record<string, string>>;
  readonly lastFailure: Readonly<Record<string, unknown>> | null;
}

/** A row to insert for a new instance; ids are chosen up front so children can name parents. */
export interface NewInstance {
  readonly id: string;
  readonly path: string;
  readonly component: string;
  readonly parentId: string | null;
  readonly agentName: string | null;
}
