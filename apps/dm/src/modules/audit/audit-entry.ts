/** An audit entry to record: who did what to which target. */
export interface AuditEntryInput {
  readonly actor: string;
  readonly action: string;
  readonly target?: string;
  readonly details?: Record<string, unknown>;
}

/** A recorded audit entry. */
export interface AuditEntry extends Required<AuditEntryInput> {
  readonly id: string;
  readonly at: Date;
}

/** The filter of `GET /api/audit`. */
export interface AuditQuery {
  readonly limit: number;
  readonly action?: string;
  readonly actor?: string;
  readonly target?: string;
}
