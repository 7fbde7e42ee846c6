import { splitBrokerUrls } from '@flotilla/messaging';
import * as amqp from 'amqplib';

/** How the broker says a user name or password is wrong (amqplib's handshake error). */
const LOGIN_REFUSED = /ACCESS.REFUSED/;

/**
 * Whether the broker refuses the credentials of `url` outright (one connection attempt per node of
 * the URL list until a node answers, closed at once). Any other failure (every node down, network)
 * is not a refusal: the caller connects and retries as usual.
 */
export async function areCredentialsRefused(url: string): Promise<boolean> {
  for (const node of splitBrokerUrls(url)) {
    try {
      const model = await amqp.connect(node);
      await model.close().catch(() => undefined);
      return false;
    } catch (error: unknown) {
      if (error instanceof Error && LOGIN_REFUSED.test(error.message)) {
        return true;
      }
      // This node did not answer: the next one may.
    }
  }
  return false;
}
