/** Read-only facts that locate a messaging error (message id, file, field, thumbprint...). */
export type MessagingErrorContext = Readonly<Record<string, string | number | boolean | undefined>>;

/** Base class of every error thrown by @flotilla/messaging, with a stable machine-readable code. */
export class MessagingError extends Error {
  /** Stable identifier of the failure, safe to switch on and to count in metrics. */
  readonly code: string;
  /** Facts that locate the failure (message id, file, field...). */
  readonly context: MessagingErrorContext;

  constructor(
    code: string,
    message: string,
    context: MessagingErrorContext = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = Object.freeze({ ...context });
  }
}
