import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/** One change the console and the CLI follow on `/api/events`. */
export type DeploymentEvent =
  | {
      readonly type: 'instance.state';
      readonly application: string;
      readonly path: string;
      readonly from: string;
      readonly to: string;
      readonly event: string;
    }
  | {
      readonly type: 'command.sent' | 'command.finished';
      readonly application: string;
      readonly path: string;
      readonly step: string;
      readonly jobId: string;
      readonly status: string;
    }
  | {
      readonly type: 'step.output';
      readonly agent: string;
      readonly path: string;
      readonly jobId: string;
      readonly stream: string;
      readonly chunk: string;
    };

/** The in-process stream of deployment events (state changes, commands sent and finished). */
@Injectable()
export class DeploymentEvents {
  private readonly subject = new Subject<DeploymentEvent>();

  /** Publishes one event to every listener. */
  publish(event: DeploymentEvent): void {
    this.subject.next(event);
  }

  /** The events from now on. */
  stream(): Observable<DeploymentEvent> {
    return this.subject.asObservable();
  }
}
