/**
 * The key of the session-level advisory lock the leading DM replica holds. Advisory locks are
 * scoped to one database, so DMs on separate databases never compete for it.
 */
export const LEADERSHIP_LOCK_KEY = '7372958304715020338';
/** How often a follower tries to take the lock, and the leader checks that it still holds it. */
export const LEADERSHIP_CHECK_INTERVAL_MS = 2_000;
/**
 * A check that takes longer than this counts as a lost connection: the leader steps down. Lenient,
 * so that a loaded host does not hand leadership over for nothing (a new leader resends).
 */
export const LEADERSHIP_PROBE_TIMEOUT_MS = 5_000;
/**
 * PostgreSQL ends the lock session after this much silence (`idle_session_timeout`), which frees
 * the lock of a leader that froze or was cut off: by then that leader's own probe has failed and
 * it has stepped down, so two replicas never lead at once for longer than one probe.
 */
export const LEADERSHIP_SESSION_IDLE_TIMEOUT_MS = 15_000;
/** The `application_name` of the lock session, to find it in `pg_stat_activity`. */
export const LEADERSHIP_APPLICATION_NAME = 'flotilla-dm-leadership';
/** The NOTIFY channel that carries deployment events from one replica to the others. */
export const REPLICA_EVENTS_CHANNEL = 'flotilla_deployment_events';
/**
 * The largest NOTIFY payload sent, in bytes: PostgreSQL refuses payloads from 8000 bytes on, and
 * the rest is left for the envelope around the events.
 */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7_000;
/** The injection token of the list of what only the leader does. */
export const LEADER_DUTIES = Symbol('LEADER_DUTIES');
/** The injection token of the leadership lock session (null on the embedded database). */
export const LEADERSHIP_LOCK = Symbol('LEADERSHIP_LOCK');
