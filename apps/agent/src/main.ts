import { loadAgentConfig } from './config/load-agent-config';
import { runAgent } from './run-agent';

// Bootstrap only: `node apps/agent/dist/main.js` reads FLOTILLA_* and runs until SIGTERM/SIGINT.
async function main(): Promise<void> {
  await runAgent(loadAgentConfig());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `flotilla agent: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
