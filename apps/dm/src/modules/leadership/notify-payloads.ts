import type { DeploymentEvent } from '../deployments/deployment-events';

/** What one NOTIFY carries: the sending replica and its events, in order. */
export interface ReplicaEventsPayload {
  readonly origin: string;
  readonly events: readonly DeploymentEvent[];
}

/**
 * Packs events, in order, into as few NOTIFY payloads of at most `maxBytes` (UTF-8) as it can;
 * a step's output chunk too large for one payload is split into consecutive chunks.
 */
export function packNotifications(
  origin: string,
  events: readonly DeploymentEvent[],
  maxBytes: number,
): string[] {
  const payloads: string[] = [];
  let batch: DeploymentEvent[] = [];
  for (const event of events.flatMap((entry) => fitting(origin, entry, maxBytes))) {
    if (batch.length > 0 && sizeOf(origin, [...batch, event]) > maxBytes) {
      payloads.push(serialize(origin, batch));
      batch = [];
    }
    batch.push(event);
  }
  if (batch.length > 0) {
    payloads.push(serialize(origin, batch));
  }
  return payloads;
}

/** The event itself, or its output chunk cut in halves until each part fits alone. */
function fitting(origin: string, event: DeploymentEvent, maxBytes: number): DeploymentEvent[] {
  if (
    event.type !== 'step.output' ||
    event.chunk.length < 2 ||
    sizeOf(origin, [event]) <= maxBytes
  ) {
    return [event];
  }
  let half = Math.ceil(event.chunk.length / 2);
  if (isHighSurrogate(event.chunk.charCodeAt(half - 1))) {
    half += 1; // never split a character written as a surrogate pair
  }
  return [
    ...fitting(origin, { ...event, chunk: event.chunk.slice(0, half) }, maxBytes),
    ...fitting(origin, { ...event, chunk: event.chunk.slice(half) }, maxBytes),
  ];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function serialize(origin: string, events: readonly DeploymentEvent[]): string {
  const payload: ReplicaEventsPayload = { origin, events };
  return JSON.stringify(payload);
}

function sizeOf(origin: string, events: readonly DeploymentEvent[]): number {
  return Buffer.byteLength(serialize(origin, events));
}
