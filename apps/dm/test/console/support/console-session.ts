import request from 'supertest';
import { TEST_ADMIN_PASSWORD } from '../../integration/support/test-dm';

/** A console session opened through the login form: its cookie and the page's CSRF token. */
export interface ConsoleSession {
  readonly cookie: string;
  readonly csrfToken: string;
}

const CSRF_IN_PAGE = /name="_csrf" value="([^"]+)"/;

function firstCookie(response: request.Response): string {
  return (response.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] ?? '';
}

/** The login form's token and the cookie it is paired with, as a browser gets them. */
export async function openLoginForm(baseUrl: string): Promise<ConsoleSession> {
  const form = await request(baseUrl).get('/console/login').expect(200);
  const csrfToken = CSRF_IN_PAGE.exec(form.text)?.[1];
  if (csrfToken === undefined) {
    throw new Error('The login page carries no CSRF token');
  }
  return { cookie: firstCookie(form), csrfToken };
}

/** Logs in as admin through the console's login form and reads the CSRF token off a page. */
export async function openConsoleSession(baseUrl: string): Promise<ConsoleSession> {
  const form = await openLoginForm(baseUrl);
  const login = await request(baseUrl)
    .post('/console/login')
    .set('Cookie', form.cookie)
    .type('form')
    .send({ username: 'admin', password: TEST_ADMIN_PASSWORD, _csrf: form.csrfToken })
    .expect(303);
  const cookie = firstCookie(login);
  const page = await request(baseUrl).get('/console/agents').set('Cookie', cookie).expect(200);
  const csrfToken = CSRF_IN_PAGE.exec(page.text)?.[1];
  if (csrfToken === undefined) {
    throw new Error('The agents page carries no CSRF token');
  }
  return { cookie, csrfToken };
}
