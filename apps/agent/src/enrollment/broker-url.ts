/** The enrollment URL with its credentials replaced by the accepted agent's own broker user. */
export function brokerUrlFor(enrollmentUrl: string, user: string, password: string): string {
  const url = new URL(enrollmentUrl);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}
