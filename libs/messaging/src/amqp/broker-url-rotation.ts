import { AmqpError } from './amqp.errors';
import { splitBrokerUrls } from './broker-urls';
import { toLoggableUrl, userOfUrl } from './loggable-url';

/**
 * The nodes of one broker (a single node or a cluster) in the order a connection tries them: it
 * starts with the first and moves to the next after a failed attempt or a lost connection (the
 * node it had is likely the one that went away), wrapping around.
 */
export class BrokerUrlRotation {
  /** The broker user every node is reached as (RabbitMQ checks `user_id` against it). */
  readonly brokerUser: string;
  private readonly urls: readonly string[];
  private index = 0;

  /** @throws AmqpError AMQP_URL_INVALID when an item is not an amqp(s) URL or the users differ. */
  constructor(list: string) {
    this.urls = splitBrokerUrls(list);
    const users = new Set(this.urls.map(userOfUrl));
    if (users.size > 1) {
      throw new AmqpError(
        'AMQP_URL_INVALID',
        `broker URLs name different users (${[...users].join(', ')}): the nodes of one broker share one user`,
      );
    }
    this.brokerUser = userOfUrl(this.urls[0]);
  }

  /** How many nodes there are. */
  get size(): number {
    return this.urls.length;
  }

  /** The URL to try now. */
  get current(): string {
    return this.urls[this.index];
  }

  /** The URL to try now, with its password masked. */
  get currentLoggable(): string {
    return toLoggableUrl(this.current);
  }

  /** Moves to the next node (back to the first after the last). */
  advance(): void {
    this.index = (this.index + 1) % this.urls.length;
  }
}
