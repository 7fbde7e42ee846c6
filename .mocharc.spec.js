// Runs only the spec files named on the command line: `npm run spec -- path/to/x.spec.ts`.
module.exports = {
  require: ['ts-node/register/transpile-only', './test/support/chai.setup.ts'],
  'node-option': ['conditions=flotilla-source', 'no-warnings=ExperimentalWarning'],
  extension: ['ts'],
  timeout: 60000,
  reporter: 'spec',
};
