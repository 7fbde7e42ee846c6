// Test hosts as network namespaces: `const network = await TestNetwork.create();`,
// `const web = await network.addHost('web');`, `await web.exec('nft', [...])`, and
// `await network.destroy()` in an after hook.
export * from './run-command';
export * from './test-host';
export * from './test-network';
export * from './netns-registry';
