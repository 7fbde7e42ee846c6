// Fault tier (`npm run test:faults`): real DM and agent processes in network namespaces, with the
// broker restarted, processes killed, links cut and hostile messages thrown at the DM.
module.exports = {
  require: ['ts-node/register/transpile-only', './test/support/chai.setup.ts'],
  'node-option': ['conditions=flotilla-source', 'no-warnings=ExperimentalWarning'],
  extension: ['ts'],
  spec: ['test/faults/**/*.spec.ts'],
  timeout: 300000,
  reporter: 'spec',
};
