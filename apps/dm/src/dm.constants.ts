/** The Nest injection token of the frozen `DmConfig`. */
export const DM_CONFIG = Symbol('DM_CONFIG');
/** Every REST route lives under this prefix. */
export const API_PREFIX = 'api';
/** The header that carries a request's correlation id in and out. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';
/** The name of the operator session cookie. */
export const SESSION_COOKIE = 'flotilla_session';
/** The first operator, created at first start. */
export const ADMIN_USERNAME = 'admin';
/** The file, in the data directory, that receives a generated admin password. */
export const ADMIN_PASSWORD_FILE = 'admin-password';
/** The actor recorded for what the DM does by itself. */
export const SYSTEM_ACTOR = 'system';
