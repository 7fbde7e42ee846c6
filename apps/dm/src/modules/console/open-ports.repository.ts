import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A port an instance holds open on its agent's host. */
export interface OpenPort {
  readonly port: number;
  readonly protocol: string;
}

// The latest finished step of each instance carries the ports the agent saw open after it.
const LATEST_OPEN_PORTS = `SELECT DISTINCT ON (c.instance_id) i.path, c.result -> 'openPorts' AS open_ports
  FROM commands c JOIN instances i ON i.id = c.instance_id
  WHERE i.application_id = $1 AND c.result IS NOT NULL AND c.status IN ('succeeded', 'failed')
  ORDER BY c.instance_id, c.updated_at DESC`;

function toPorts(value: unknown): OpenPort[] {
  return Array.isArray(value)
    ? value.filter(
        (entry): entry is OpenPort =>
          typeof (entry as OpenPort).port === 'number' &&
          typeof (entry as OpenPort).protocol === 'string',
      )
    : [];
}

/** Reads, for the console, the ports each instance of an application has open. */
@Injectable()
export class OpenPortsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Open ports by instance path, as reported by each instance's latest finished step. */
  async byInstancePath(applicationId: string): Promise<Map<string, OpenPort[]>> {
    const rows: Array<{ path: string; open_ports: unknown }> = await this.dataSource.query(
      LATEST_OPEN_PORTS,
      [applicationId],
    );
    return new Map(rows.map((row) => [row.path, toPorts(row.open_ports)]));
  }
}
