/** The application name the demo deploys. */
export const DEMO_APPLICATION = 'demo';
/** The broker namespace of the demo's exchanges and queues (kept apart from real ones). */
export const DEMO_BROKER_NAMESPACE = 'flotilla-demo';
/** The broker the demo uses unless FLOTILLA_AMQP_URL says otherwise (rabbitmq/apply.sh's user). */
export const DEMO_DEFAULT_AMQP_URL = 'amqp://flotilla-admin:flotilla-admin@127.0.0.1:5672/flotilla';
/** RabbitMQ's management API port. */
export const DEMO_MANAGEMENT_PORT = 15672;
/** Which agent runs which roots of the three-tier sample. */
export const DEMO_PLACEMENT: Readonly<Record<string, readonly string[]>> = {
  'demo-db': ['/db-vm'],
  'demo-app': ['/app-vm', '/web-vm'],
};
/** The bridge and /24 of the demo's network namespaces (root only). */
export const DEMO_BRIDGE = 'fltdemo0';
export const DEMO_SUBNET = '10.231.77';
/** How long the demo waits for agents to enroll and for the sample to start or stop. */
export const DEMO_ENROLL_TIMEOUT_MS = 60_000;
export const DEMO_SETTLE_TIMEOUT_MS = 180_000;
/** How often the demo re-reads the DM while waiting without an event. */
export const DEMO_POLL_INTERVAL_MS = 500;
