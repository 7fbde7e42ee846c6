import { runCli } from './run-cli';

void runCli(process.argv.slice(2)).then((code) => {
  // Some commands (validate) set process.exitCode themselves; keep theirs unless we failed.
  if (code !== 0) {
    process.exitCode = code;
  }
});
