import type { BrokerNamespace } from '../../libs/messaging/testing';

/** How long to wait for the broker's statistics (refreshed every few seconds) to settle. */
const SETTLE_TIMEOUT_MS = 20_000;
const POLL_MS = 1_000;

interface QueueStats {
  readonly name: string;
  readonly message_stats?: { readonly publish?: number };
}

async function total(broker: BrokerNamespace): Promise<number> {
  const vhost = encodeURIComponent(broker.management.vhost);
  const queues = (await broker.management.request(
    'GET',
    `/api/queues/${vhost}?columns=name,message_stats.publish`,
  )) as QueueStats[];
  return queues
    .filter((queue) => queue.name.startsWith(`${broker.id}.`))
    .reduce((sum, queue) => sum + (queue.message_stats?.publish ?? 0), 0);
}

/**
 * Messages routed into the run's queues so far, from the management API. Its statistics lag by
 * their collection interval: when `previous` is given, polls until the total moved past it and
 * then stops changing.
 */
export async function routedMessages(
  broker: BrokerNamespace,
  previous?: number,
): Promise<{ total: number }> {
  let last = await total(broker);
  if (previous === undefined) {
    return { total: last };
  }
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const next = await total(broker);
    if (next === last && next > previous) {
      break;
    }
    last = next;
  }
  return { total: last };
}
