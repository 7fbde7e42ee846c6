/** The path every console page lives under (outside the `/api` prefix). */
export const CONSOLE_PATH = '/console';
/** Routes the DM serves without the `/api` prefix: the root redirect and the console. */
export const CONSOLE_PREFIX_EXCLUSIONS = ['/', 'console', 'console/{*path}'];
/** The header htmx requests carry the CSRF token in (set once on `<body hx-headers>`). */
export const CSRF_HEADER = 'x-csrf-token';
/** The cookie that pairs the login form with its token (double submit: there is no session yet). */
export const LOGIN_CSRF_COOKIE = 'flotilla_login_csrf';
/** The hidden form field plain (non-htmx) forms carry the CSRF token in. */
export const CSRF_FIELD = '_csrf';
/** The multipart field of the template archive in the create-application form. */
export const ARCHIVE_FIELD = 'archive';
/** How often the agents page fetches the lists again (agents enroll while an operator waits). */
export const AGENTS_REFRESH_SECONDS = 5;
/** How many audit entries the audit page shows. */
export const AUDIT_PAGE_SIZE = 200;
/** Static files served under `/console/assets/`, by name: the npm file they come from. */
export const ASSET_FILES: Readonly<Record<string, string>> = {
  'htmx.min.js': 'htmx.org/dist/htmx.min.js',
  'sse.js': 'htmx-ext-sse/dist/sse.js',
};
