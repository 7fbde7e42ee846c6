import request from 'supertest';
import { TEST_ADMIN_PASSWORD } from '../../integration/support/test-dm';

/** A console session opened through the login form: its cookie and the page's CSRF token. */
export interface ConsoleSession {
  readonly cookie: string;
  readonly csrfToken: string;
}

const CSRF_IN_PAGE = /name="_csrf" value="([^"]+)"/;

/** Logs in as admin through the console's login form and reads the CSRF token off a page. */
export async function openConsoleSession(baseUrl: string): Promise<ConsoleSession> {
  const login = await request(baseUrl)
    .post('/console/login')
    .type('form')
    .send({ username: 'admin', password: TEST_ADMIN_PASSWORD })
    .expect(303);
  const cookie = (login.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';
  const page = await request(baseUrl).get('/console/agents').set('Cookie', cookie).expect(200);
  const csrfToken = CSRF_IN_PAGE.exec(page.text)?.[1];
  if (csrfToken === undefined) {
    throw new Error('The agents page carries no CSRF token');
  }
  return { cookie, csrfToken };
}
