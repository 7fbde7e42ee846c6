import { withBrokerCredentials } from '@flotilla/messaging';

/** The enrollment URL (list) with its credentials replaced by the accepted agent's own broker user. */
export function brokerUrlFor(enrollmentUrl: string, user: string, password: string): string {
  return withBrokerCredentials(enrollmentUrl, user, password);
}
