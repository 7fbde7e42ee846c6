import * as amqp from 'amqplib';

/** How the broker says a user name or password is wrong (amqplib's handshake error). */
const LOGIN_REFUSED = /ACCESS.REFUSED/;

/**
 * Whether the broker refuses the credentials of `url` outright (one connection attempt, closed at
 * once). Any other failure (broker down, network) is not a refusal: the caller connects and
 * retries as usual.
 */
export async function areCredentialsRefused(url: string): Promise<boolean> {
  try {
    const model = await amqp.connect(url);
    await model.close().catch(() => undefined);
    return false;
  } catch (error: unknown) {
    return error instanceof Error && LOGIN_REFUSED.test(error.message);
  }
}
