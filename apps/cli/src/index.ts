export { buildProgram } from './program';
export { runCli } from './run-cli';
export type { CliContext, CliInput, CliOutput } from './config/cli-context';
