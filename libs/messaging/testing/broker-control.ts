import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Stops the RabbitMQ application (the Erlang node stays up): every client connection drops. */
export async function stopBrokerApp(): Promise<void> {
  await run('rabbitmqctl', ['-q', 'stop_app']);
}

/** Starts the RabbitMQ application again and waits until it accepts connections. */
export async function startBrokerApp(): Promise<void> {
  await run('rabbitmqctl', ['-q', 'start_app']);
  await run('rabbitmqctl', ['-q', 'await_startup', '--timeout', '60']);
}
