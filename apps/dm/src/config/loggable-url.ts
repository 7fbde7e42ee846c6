/** Returns the URL with its password masked, for logs and error messages. */
export function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return '<unparseable URL>'; // never echo what may hold a secret
  }
}
