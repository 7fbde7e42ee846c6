import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { SecureConsumer } from '../channel';
import type { OpenedEnvelope } from '../envelope/opened-envelope';
import { FlotillaRpcContext } from './flotilla-rpc.context';

/** The transport id Nest reports for Flotilla handlers. */
export const FLOTILLA_TRANSPORT = Symbol('FLOTILLA_TRANSPORT');

/**
 * A Nest `CustomTransportStrategy` over a `SecureConsumer`: every `@EventPattern('<type>')` or
 * `@MessagePattern('<type>')` handler of the microservice becomes the handler of that message
 * type, receiving the verified payload (`@Payload()`) and a `FlotillaRpcContext` (`@Ctx()`).
 * A handler that throws (or whose observable errors) is retried, then dead-lettered, by the
 * consumer; there are no replies (answers are new signed envelopes sent by the handler).
 */
export class FlotillaTransportStrategy extends Server implements CustomTransportStrategy {
  override readonly transportId = FLOTILLA_TRANSPORT;

  constructor(private readonly consumer: SecureConsumer) {
    super();
  }

  /** Registers every pattern handler on the consumer, starts consuming, then calls `callback`. */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [type, handler] of this.getHandlers()) {
        this.consumer.handle(type, async (envelope: OpenedEnvelope, delivery) => {
          const context = new FlotillaRpcContext([envelope, delivery]);
          await settle(await handler(envelope.payload, context));
        });
      }
      await this.consumer.start();
      callback();
    } catch (error: unknown) {
      callback(error);
    }
  }

  /** Stops consuming (waits for the handlers in flight). */
  async close(): Promise<void> {
    await this.consumer.stop();
  }

  /** Flotilla exposes no transport events through Nest: listen to `AmqpConnection` instead. */
  on(): void {
    throw new Error('FlotillaTransportStrategy has no events: listen to its AmqpConnection');
  }

  /** Returns the underlying `SecureConsumer`. */
  unwrap<T>(): T {
    return this.consumer as T;
  }
}

/** Waits for a handler's result; an error (Nest filters turn it into an object) becomes an Error. */
async function settle(result: unknown): Promise<void> {
  try {
    if (isObservable(result)) {
      await lastValueFrom(result, { defaultValue: undefined });
    }
  } catch (error: unknown) {
    if (error instanceof Error) {
      throw error;
    }
    throw new Error(`handler failed: ${JSON.stringify(error)}`);
  }
}
