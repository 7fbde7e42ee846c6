import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NETNS_PREFIX,
  NETNS_STATE_DIR,
  removeLeftoverNetworks,
  removeNetwork,
  saveNetworkRecord,
  type NetworkRecord,
} from './netns-registry';
import { runChecked } from './run-command';
import { TestHost } from './test-host';

/** First and last host numbers handed out on a test network's /24 (.1 is the root side). */
const FIRST_HOST_NUMBER = 2;
const LAST_HOST_NUMBER = 254;

/** How many random /24s are tried before giving up. */
const SUBNET_ATTEMPTS = 50;

/**
 * A private /24 of test hosts: a bridge in the root namespace holding `.1` (where RabbitMQ and
 * PostgreSQL are reached), and one network namespace per host linked to it by a veth pair.
 * Nothing is routed beyond the /24. `destroy` removes everything; a run that crashed is cleaned
 * up by the next `TestNetwork.create`.
 */
export class TestNetwork {
  private readonly hosts: TestHost[] = [];
  private nextHostNumber = FIRST_HOST_NUMBER;

  private constructor(
    private readonly tag: string,
    private readonly record: NetworkRecord,
  ) {}

  /** The root namespace's address on this network: what a host uses to reach local services. */
  get gatewayAddress(): string {
    return `${this.record.subnet}.1`;
  }

  /** Creates the bridge on a free private /24 after removing leftovers of dead runs. */
  static async create(): Promise<TestNetwork> {
    await removeLeftoverNetworks();
    const tag = randomBytes(3).toString('hex');
    const subnet = await reserveSubnet();
    const record: NetworkRecord = {
      pid: process.pid,
      subnet,
      bridge: `${NETNS_PREFIX}b${tag}`,
      namespaces: [],
    };
    await saveNetworkRecord(tag, record);
    const network = new TestNetwork(tag, record);
    await runChecked('ip', ['link', 'add', record.bridge, 'type', 'bridge']);
    await runChecked('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', record.bridge]);
    await runChecked('ip', ['link', 'set', record.bridge, 'up']);
    return network;
  }

  /** Adds a host named `name` with the next free address (or `.<hostNumber>` when given). */
  async addHost(name: string, hostNumber?: number): Promise<TestHost> {
    const number = hostNumber ?? this.nextHostNumber++;
    if (number < FIRST_HOST_NUMBER || number > LAST_HOST_NUMBER) {
      throw new Error(
        `Test host ${name}: host number ${number} is outside ${FIRST_HOST_NUMBER}-${LAST_HOST_NUMBER}`,
      );
    }
    const namespace = `${NETNS_PREFIX}${process.pid}-${this.tag}-${name}`;
    const outside = `${NETNS_PREFIX}v${this.tag}${number}`;
    const inside = `${NETNS_PREFIX}i${this.tag}${number}`;
    const address = `${this.record.subnet}.${number}`;
    this.record.namespaces.push(namespace);
    await saveNetworkRecord(this.tag, this.record);
    await runChecked('ip', ['netns', 'add', namespace]);
    await runChecked('ip', ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
    await runChecked('ip', ['link', 'set', inside, 'netns', namespace]);
    await runChecked('ip', ['link', 'set', outside, 'master', this.record.bridge, 'up']);
    const inNamespace = ['netns', 'exec', namespace, 'ip'];
    await runChecked('ip', [...inNamespace, 'link', 'set', 'lo', 'up']);
    await runChecked('ip', [...inNamespace, 'addr', 'add', `${address}/24`, 'dev', inside]);
    await runChecked('ip', [...inNamespace, 'link', 'set', inside, 'up']);
    const host = new TestHost(name, namespace, address);
    this.hosts.push(host);
    return host;
  }

  /** Removes every namespace and the bridge; safe to call after a failure and more than once. */
  async destroy(): Promise<void> {
    await removeNetwork(this.tag, this.record);
  }
}

/** Picks a random 10.2xx.y.0/24 that no local route covers and no other test network holds. */
async function reserveSubnet(): Promise<string> {
  await mkdir(NETNS_STATE_DIR, { recursive: true, mode: 0o700 });
  const routes = await runChecked('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (let attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
    const bytes = randomBytes(2);
    const subnet = `10.${200 + (bytes[0] % 50)}.${bytes[1]}`;
    if (routes.includes(`${subnet}.`)) {
      continue;
    }
    // mkdir is atomic: of two runs picking the same /24 at once, only one gets it.
    const isReserved = await mkdir(join(NETNS_STATE_DIR, `subnet-${subnet}`), {
      recursive: false,
    }).then(
      () => true,
      () => false,
    );
    if (isReserved) {
      return subnet;
    }
  }
  throw new Error(`No free private /24 found for a test network after ${SUBNET_ATTEMPTS} attempts`);
}
