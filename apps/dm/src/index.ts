export { bootstrap, type BootstrapOptions, type DmServer } from './bootstrap';
export { closeOnShutdownSignals } from './shutdown-signals';
export type { DmConfig, DmFlags, LogLevel } from './config/dm-config';
export { DmConfigError } from './config/dm-config.error';
export { DM_FLAG_VARIABLES, loadDmConfig } from './config/load-dm-config';
export { DmError, type DmErrorCode } from './errors';
export { DmBroker } from './modules/messaging/dm-broker';
export { DM_IDENTITY } from './modules/messaging/messaging.constants';
export { DeploymentEvents, type DeploymentEvent } from './modules/deployments/deployment-events';
