// Integration and end-to-end tier: real RabbitMQ, PostgreSQL, network namespaces.
// The services are made ready by scripts/ensure-services.sh (run by `npm test`).
module.exports = {
  require: ['ts-node/register/transpile-only', './test/support/chai.setup.ts'],
  'node-option': ['conditions=flotilla-source', 'no-warnings=ExperimentalWarning'],
  extension: ['ts'],
  spec: ['libs/*/test/**/*.spec.ts', 'apps/*/test/**/*.spec.ts', 'test/**/*.spec.ts'],
  // The fault scenarios are their own tier (.mocharc.faults.js, `npm run test:faults`).
  ignore: ['test/faults/**'],
  timeout: 60000,
  reporter: 'spec',
};
