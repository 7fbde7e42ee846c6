import { BaseRpcContext } from '@nestjs/microservices';
import type { AmqpDelivery } from '../amqp';
import type { OpenedEnvelope } from '../envelope/opened-envelope';

/** The Nest RPC context of a Flotilla message: the verified envelope and its AMQP delivery (`@Ctx()`). */
export class FlotillaRpcContext extends BaseRpcContext<[OpenedEnvelope, AmqpDelivery]> {
  /** The verified envelope (sender, ids, times, payload). */
  getEnvelope(): OpenedEnvelope {
    return this.args[0];
  }

  /** The AMQP delivery it came in (queue, properties, retry count). */
  getDelivery(): AmqpDelivery {
    return this.args[1];
  }
}
