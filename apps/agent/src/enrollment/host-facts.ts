import { arch, cpus, hostname, networkInterfaces, platform, release, totalmem } from 'node:os';

/** The host facts an enrollment request carries: OS, addresses, CPU and memory, as strings. */
export function collectHostFacts(): Record<string, string> {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && !entry.internal)
    .map((entry) => entry!.address);
  const processors = cpus();
  return {
    hostname: hostname(),
    os: `${platform()} ${release()}`,
    arch: arch(),
    addresses: addresses.join(','),
    cpuCount: String(processors.length),
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    memoryBytes: String(totalmem()),
  };
}
