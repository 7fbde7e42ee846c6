import { once } from 'node:events';
import { Command } from 'commander';
import type { CliContext } from '../config/cli-context';
import { DemoRunner } from '../demo/demo-runner';

/** The port the demo's DM listens on (the DM's own default). */
const DEMO_PORT = 8181;

/**
 * `flotilla demo`: starts a DM on the embedded database and two agents, deploys and starts the
 * three-tier sample, prints where to look, and cleans everything up on Ctrl-C.
 */
export function demoCommand(context: CliContext): Command {
  return new Command('demo')
    .description('Run the live demo: DM, two agents, the three-tier sample; Ctrl-C cleans up')
    .option('--port <port>', 'DM port', String(DEMO_PORT))
    .option(
      '--amqp-url <url>',
      'RabbitMQ URL with a user that manages the vhost (FLOTILLA_AMQP_URL)',
    )
    .action(async (options: { port: string; amqpUrl?: string }) => {
      const runner = new DemoRunner(context, {
        port: Number(options.port),
        amqpUrl: options.amqpUrl ?? process.env.FLOTILLA_AMQP_URL,
      });
      const interrupted = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      try {
        await Promise.race([runner.run(), interrupted]);
        await interrupted;
      } finally {
        await runner.close();
      }
    });
}
