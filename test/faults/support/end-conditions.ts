import { join } from 'node:path';
import { expect } from 'chai';
import { Client } from 'pg';
import { PortLedger, formatPortRule, parseNftListing } from '@flotilla/recipes';
import { RawAmqp } from '../../../libs/messaging/testing';
import type { FleetInstance } from './dm-api';
import { ALWAYS_OPEN_PORT, type FaultWorld } from './fault-world';
import { FLEET_APP, rootOf } from './fleet-template';

/** What a scenario expects at its end besides "all started" and "nothing lost". */
export interface EndExpectation {
  /** The state every instance must be in (desired and actual). */
  readonly state: string;
  /** Envelopes deliberately dead-lettered in the DM's inbox (0 when absent). */
  readonly deadLetteredInInbox?: number;
}

/**
 * The four end conditions of a fault scenario: every instance in its desired state, no
 * firewall port open that should not be, nothing acknowledged lost, and the audit log complete.
 */
export async function expectEndConditions(
  world: FaultWorld,
  expectation: EndExpectation,
): Promise<void> {
  const instances = await world.api.instances(FLEET_APP);
  expectDesiredStates(instances, expectation.state);
  for (const host of world.options.shape.hosts) {
    await expectOpenPorts(world, host, instances);
  }
  await expectNothingLost(world, expectation.deadLetteredInInbox ?? 0);
  await expectCompleteAudit(world);
}

function expectDesiredStates(instances: readonly FleetInstance[], state: string): void {
  const off = instances.filter((i) => i.actualState !== state || i.desiredState !== state);
  expect(
    off.map((i) => `${i.path}=${i.actualState}/${i.desiredState}`),
    'instances not in their desired state',
  ).to.deep.equal([]);
}

/** The ports a host must have open: those its started instances export, and SSH. */
function expectedPorts(host: string, instances: readonly FleetInstance[]): string[] {
  const root = rootOf(host);
  const ports = instances
    .filter((i) => i.path.startsWith(`${root}/`) && i.actualState === 'deployed_started')
    .flatMap((i) => Object.entries(i.exports).filter(([key]) => key.endsWith('.port')))
    .map(([, port]) => `${port}/tcp`);
  return [...new Set(ports)].sort();
}

/** The host's nft table and the agent's ledger hold exactly the expected ports. */
async function expectOpenPorts(
  world: FaultWorld,
  host: string,
  instances: readonly FleetInstance[],
): Promise<void> {
  const expected = expectedPorts(host, instances);
  const listing = await world.host(host).exec('nft', ['-j', 'list', 'table', 'inet', 'flotilla']);
  expect(listing.exitCode, `nft list in ${host}: ${listing.stderr}`).to.equal(0);
  const snapshot = parseNftListing(listing.stdout);
  expect(snapshot, `the flotilla table of ${host} has no input chain`).to.not.equal(undefined);
  const open = (snapshot?.anywhere ?? [])
    .map(formatPortRule)
    .filter((rule) => rule !== `${ALWAYS_OPEN_PORT}/tcp`);
  expect([...new Set(open)].sort(), `ports open in the firewall of ${host}`).to.deep.equal(
    expected,
  );
  const ledger = new PortLedger(join(world.agentDataDir(host), 'ports.ledger.json'));
  await ledger.load();
  expect(
    ledger.allRules().map(formatPortRule).sort(),
    `ports in the ledger of ${host}`,
  ).to.deep.equal(expected);
}

/**
 * Every command the DM sent got a result, none is left queued, and no lifecycle message sits in a
 * dead-letter queue (except the envelopes the scenario dead-lettered on purpose).
 */
async function expectNothingLost(world: FaultWorld, deadLetteredInInbox: number): Promise<void> {
  const [counts] = await query<{ unfinished: number; unanswered: number; total: number }>(
    world,
    `SELECT count(*) FILTER (WHERE status IN ('queued', 'sent'))::int AS unfinished,
       count(*) FILTER (WHERE sent_at IS NOT NULL AND result IS NULL)::int AS unanswered,
       count(*)::int AS total
     FROM commands`,
  );
  expect(counts, 'commands without a result').to.deep.include({ unfinished: 0, unanswered: 0 });
  expect(counts?.total, 'commands sent').to.be.greaterThan(0);
  const { topology } = world.broker;
  const queues: Record<string, number> = {
    [`${topology.dmInboxQueue}.dead`]: deadLetteredInInbox,
    [`${topology.dmEnrollQueue}.dead`]: 0,
  };
  for (const host of world.options.shape.hosts) {
    queues[`${topology.agentQueue(world.agentName(host))}.dead`] = 0;
  }
  const raw = await RawAmqp.open();
  try {
    const found: Record<string, number> = {};
    for (const queue of Object.keys(queues)) {
      found[queue] = await raw.messageCount(queue);
    }
    expect(found, 'dead-lettered messages by queue').to.deep.equal(queues);
  } finally {
    await raw.close();
  }
}

/**
 * The operator's actions are in the audit log, and so is every command sent and every result
 * received (each by its job id).
 */
async function expectCompleteAudit(world: FaultWorld): Promise<void> {
  const operator = 'operator:admin';
  const byAction = async (action: string) =>
    (await world.api.audit(action))
      .filter((line) => line.actor === operator)
      .map((line) => line.target);
  expect(await byAction('template.upload'), 'template upload audited').to.have.length(1);
  expect(await byAction('application.create'), 'application creation audited').to.have.length(1);
  const agents = world.options.shape.hosts.map((host) => `agent:${world.agentName(host)}`);
  expect(await byAction('agent.accept'), 'agent acceptances audited').to.have.members(agents);
  expect(await byAction('instance.bind-agent'), 'bindings audited').to.have.length(agents.length);
  expect(await byAction('deployment.request'), 'deployment requests audited').to.not.be.empty;
  const missing = await query<{ job: string; what: string }>(
    world,
    `SELECT c.message_id AS job, 'sent' AS what FROM commands c WHERE c.sent_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'deployment.command.sent'
         AND a.details->>'jobId' = c.message_id::text)
     UNION ALL
     SELECT c.message_id, 'result' FROM commands c WHERE c.result IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action LIKE 'deployment.step.result%'
         AND a.details->>'jobId' = c.message_id::text)`,
  );
  expect(missing, 'commands or results missing from the audit log').to.deep.equal([]);
}

async function query<T>(world: FaultWorld, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
