import { Injectable } from '@nestjs/common';
import { portRuleSchema, type AgentlessTargetPayload } from '@flotilla/protocol';
import { z } from 'zod';
import type { Transaction } from '../../persistence/transaction-runner';
import type { AgentlessTarget } from './agentless-target';
import { AgentlessTargetEntity } from './entities/agentless-target.entity';

/** An accepted, connected agent offering the proxy role, with what a password is sealed to. */
export interface ProxyCandidate {
  readonly name: string;
  /** `sha256:<hex>` as the agents table keeps it. */
  readonly thumbprint: string;
  readonly encryptionPublicKey: string | null;
}

const HELD_PORTS = z.array(portRuleSchema);

// Every instance under the root, with the ports its latest finished step left open.
const HELD_PORTS_QUERY = `SELECT i.path, (SELECT c.result -> 'openPorts' FROM commands c
    WHERE c.instance_id = i.id AND c.result IS NOT NULL AND c.status IN ('succeeded', 'failed')
    ORDER BY c.updated_at DESC LIMIT 1) AS open_ports
  FROM instances i WHERE i.application_id = $1 AND (i.path = $2 OR i.path LIKE $2 || '/%')
  ORDER BY i.path`;

function fromRow(row: AgentlessTargetEntity): AgentlessTarget {
  return {
    instanceId: row.instanceId,
    host: row.host,
    port: row.port,
    user: row.userName,
    hostKeyFingerprint: row.hostKeyFingerprint,
    keyName: row.keyName,
    sealedPassword: row.sealedPassword,
    useSudo: row.useSudo,
    firewall: { backend: row.firewallBackend, isManaged: row.firewallManaged },
    proxies: row.proxies,
  };
}

/** Agentless targets of root instances, and the agents that may serve them. */
@Injectable()
export class AgentlessTargetsRepository {
  /** The target of the root instance at `rootPath` of an application, if it is agentless. */
  async findByRoot(
    applicationId: string,
    rootPath: string,
    tx: Transaction,
  ): Promise<AgentlessTarget | undefined> {
    const rows: Array<{ instance_id: string }> = await tx.query(
      `SELECT t.instance_id FROM agentless_targets t JOIN instances r ON r.id = t.instance_id
       WHERE r.application_id = $1 AND r.path = $2`,
      [applicationId, rootPath],
    );
    return rows[0] === undefined ? undefined : this.findByInstance(rows[0].instance_id, tx);
  }

  /** The target of a root instance, if it is agentless. */
  async findByInstance(instanceId: string, tx: Transaction): Promise<AgentlessTarget | undefined> {
    const row = await tx.getRepository(AgentlessTargetEntity).findOneBy({ instanceId });
    return row === null ? undefined : fromRow(row);
  }

  /** Every agentless target of an application, by root path. */
  async listByApplication(
    applicationId: string,
    tx: Transaction,
  ): Promise<Map<string, AgentlessTarget>> {
    const rows: Array<{ instance_id: string; path: string }> = await tx.query(
      `SELECT t.instance_id, r.path FROM agentless_targets t JOIN instances r ON r.id = t.instance_id
       WHERE r.application_id = $1`,
      [applicationId],
    );
    const targets = new Map<string, AgentlessTarget>();
    for (const row of rows) {
      const target = await this.findByInstance(row.instance_id, tx);
      if (target !== undefined) {
        targets.set(row.path, target);
      }
    }
    return targets;
  }

  /** Every agentless root as `<application id> <root path>`. */
  async rootKeys(tx: Transaction): Promise<Set<string>> {
    const rows: Array<{ application_id: string; path: string }> = await tx.query(
      `SELECT r.application_id, r.path FROM agentless_targets t JOIN instances r ON r.id = t.instance_id`,
    );
    return new Set(rows.map((row) => `${row.application_id} ${row.path}`));
  }

  /** The ports each instance under the root holds, as its latest finished step reported them. */
  async heldPorts(
    applicationId: string,
    rootPath: string,
    tx: Transaction,
  ): Promise<NonNullable<AgentlessTargetPayload['heldPorts']>> {
    const rows: Array<{ path: string; open_ports: unknown }> = await tx.query(HELD_PORTS_QUERY, [
      applicationId,
      rootPath,
    ]);
    return rows.map((row) => {
      const parsed = HELD_PORTS.safeParse(row.open_ports ?? []);
      return { owner: row.path, rules: parsed.success ? parsed.data : [] };
    });
  }

  /** Creates or replaces the target of a root instance. */
  async save(target: AgentlessTarget, tx: Transaction): Promise<void> {
    await tx.getRepository(AgentlessTargetEntity).save({
      instanceId: target.instanceId,
      host: target.host,
      port: target.port,
      userName: target.user,
      hostKeyFingerprint: target.hostKeyFingerprint,
      keyName: target.keyName,
      sealedPassword: target.sealedPassword,
      useSudo: target.useSudo,
      firewallBackend: target.firewall.backend,
      firewallManaged: target.firewall.isManaged,
      proxies: [...target.proxies],
    });
  }

  /** Makes a root instance an agent's again. */
  async remove(instanceId: string, tx: Transaction): Promise<void> {
    await tx.getRepository(AgentlessTargetEntity).delete({ instanceId });
  }

  /**
   * The agents that can serve agentless targets now, by name: trusted, holding broker
   * credentials, not lost, and announcing the proxy role.
   */
  async proxiesUp(tx: Transaction): Promise<ProxyCandidate[]> {
    const rows: Array<{ name: string; thumbprint: string; key: string | null }> = await tx.query(
      `SELECT a.name, a.thumbprint, c.encryption_public_key AS key
       FROM agents a LEFT JOIN agent_credentials c ON c.agent_name = a.name
       WHERE a.state = 'trusted' AND a.broker_user IS NOT NULL AND NOT a.is_lost
         AND a.host_facts ->> 'proxy' = 'true'
       ORDER BY a.name`,
    );
    return rows.map((row) => ({
      name: row.name,
      thumbprint: row.thumbprint,
      encryptionPublicKey: row.key,
    }));
  }
}
