import { BROKER_URL_SEPARATOR } from './amqp.constants';
import { AmqpError } from './amqp.errors';
import { toLoggableUrl } from './loggable-url';

const AMQP_SCHEMES = new Set(['amqp:', 'amqps:']);

/**
 * The node URLs of a broker URL list: one amqp(s) URL, or several separated by commas (the nodes
 * of one cluster, tried in order). Blank items are ignored.
 * @throws AmqpError AMQP_URL_INVALID naming the position of an item that is not an amqp(s) URL,
 * or when the list is empty.
 */
export function splitBrokerUrls(list: string): readonly string[] {
  const urls = list
    .split(BROKER_URL_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (urls.length === 0) {
    throw new AmqpError('AMQP_URL_INVALID', 'broker URL list is empty');
  }
  urls.forEach((url, index) => {
    if (!isAmqpUrl(url)) {
      throw new AmqpError(
        'AMQP_URL_INVALID',
        `broker URL ${index + 1} of ${urls.length} (${toLoggableUrl(url)}) is not an amqp(s):// URL`,
      );
    }
  });
  return urls;
}

/**
 * The broker URL list with every node's user and password replaced (an agent reaches the same
 * nodes as its enrollment URLs, with its own broker user).
 * @throws AmqpError AMQP_URL_INVALID when the list is not a list of amqp(s) URLs.
 */
export function withBrokerCredentials(list: string, user: string, password: string): string {
  return splitBrokerUrls(list)
    .map((item) => {
      const url = new URL(item);
      url.username = encodeURIComponent(user);
      url.password = encodeURIComponent(password);
      return url.toString();
    })
    .join(BROKER_URL_SEPARATOR);
}

/** The broker URL list with every password masked, safe to log (blank items dropped). */
export function toLoggableUrlList(list: string): string {
  return list
    .split(BROKER_URL_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map(toLoggableUrl)
    .join(BROKER_URL_SEPARATOR);
}

function isAmqpUrl(text: string): boolean {
  try {
    return AMQP_SCHEMES.has(new URL(text).protocol);
  } catch {
    return false; // not parseable as a URL at all: not an amqp URL either
  }
}
