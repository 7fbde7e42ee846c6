/** The AMQP URL with its password masked, safe to log (a URL that does not parse is fully masked). */
export function toLoggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    // An unparseable URL may still contain a secret: show nothing of it.
    return '<unparseable AMQP URL>';
  }
}

/** The broker user name carried by an AMQP URL (`guest` when the URL names none, as amqplib does). */
export function userOfUrl(url: string): string {
  const parsed = new URL(url);
  return parsed.username === '' ? 'guest' : decodeURIComponent(parsed.username);
}
