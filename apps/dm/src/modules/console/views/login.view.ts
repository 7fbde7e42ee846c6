import { CONSOLE_PATH, CSRF_FIELD } from '../console.constants';
import { html } from '../html';
import { renderPage } from './layout.view';

/** The login page with its form token, and the reason of a refused attempt if any. */
export function renderLoginPage(loginToken: string, problem?: string, username = ''): string {
  return renderPage({
    title: 'Log in',
    body: html`<div class="card login">
      <h1>Flotilla console</h1>
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : ''}
      <form method="post" action="${CONSOLE_PATH}/login">
        <input type="hidden" name="${CSRF_FIELD}" value="${loginToken}" />
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          value="${username}"
          required
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <p><button class="primary" type="submit">Log in</button></p>
      </form>
    </div>`,
  });
}
