// Unit tier: pure code, no I/O beyond temp files; `*.spec.ts` next to the code.
module.exports = {
  require: ['ts-node/register/transpile-only', './test/support/chai.setup.ts'],
  'node-option': ['conditions=flotilla-source', 'no-warnings=ExperimentalWarning'],
  extension: ['ts'],
  spec: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
  timeout: 10000,
  reporter: 'dot',
};
