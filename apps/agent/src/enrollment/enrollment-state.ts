import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../support/json-file';

const ENROLLMENT_FILE = 'enrollment.json';

const ENROLLMENT_STATE_SCHEMA = z.strictObject({
  status: z.literal('accepted'),
  acceptedAt: z.number().int(),
  brokerUser: z.string().min(1),
  brokerPassword: z.string().min(1),
  dmThumbprint: z.string().regex(/^[0-9a-f]{64}$/),
  dmCertificatePem: z.string().min(1),
});

/** What an accepted enrollment left on disk: the broker credentials and the DM's certificate. */
export type EnrollmentState = z.infer<typeof ENROLLMENT_STATE_SCHEMA>;

/** The enrollment result kept in the data directory (0600) so that a restart does not re-enroll. */
export class EnrollmentStateFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, ENROLLMENT_FILE);
  }

  /** The stored enrollment, or undefined before the DM accepted this agent. */
  read(): Promise<EnrollmentState | undefined> {
    return readJsonFile(this.path, ENROLLMENT_STATE_SCHEMA);
  }

  /** Stores an accepted enrollment. */
  write(state: EnrollmentState): Promise<void> {
    return writeJsonFile(this.path, state);
  }
}
