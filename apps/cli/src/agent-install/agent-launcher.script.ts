/**
 * The launcher shipped as `bin/flotilla-agent.js`: runs the agent from the package's
 * node_modules, or with `--print-thumbprint` creates the identity and prints its thumbprint
 * (the agent's own bootstrap does not parse flags). Plain CommonJS: it runs without a build.
 */
export const AGENT_LAUNCHER_SCRIPT = `#!/usr/bin/env node
'use strict';
// Installed by \`flotilla agent install\`: the agent reads FLOTILLA_* (see agent.env).
const agent = require('@flotilla/agent');

async function main() {
  if (process.argv.includes('--print-thumbprint')) {
    process.stdout.write(\`\${await agent.agentThumbprint(process.env, {})}\\n\`);
    return;
  }
  await agent.runAgent(agent.loadAgentConfig());
}

main().catch((error) => {
  process.stderr.write(\`flotilla agent: \${error instanceof Error ? error.message : String(error)}\\n\`);
  process.exitCode = 1;
});
`;
