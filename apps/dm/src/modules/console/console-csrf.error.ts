/** A state-changing console request without its session's CSRF token; the console answers 403. */
export class ConsoleCsrfError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
  ) {
    super(`${method} ${url} refused: missing or wrong CSRF token`);
    this.name = 'ConsoleCsrfError';
  }
}
