export * from './broker-control';
export * from './broker-namespace';
export * from './raw-amqp';
export * from './test-broker';
export * from './delivery-collector';
export * from './force-close';
export * from './secure-world';
export * from './caught-error';
