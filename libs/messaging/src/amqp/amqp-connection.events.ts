/** The events an `AmqpConnection` emits, as a typed map for `EventEmitter`. */
export interface AmqpConnectionEvents {
  /** A connection is open and every setup hook has run (first connect and each reconnect); `url` is the node reached, password masked. */
  connected: [info: { readonly url: string; readonly attempt: number }];
  /** The open connection was lost; a reconnection is scheduled unless `close()` was called. */
  disconnected: [info: { readonly reason: string }];
  /** A connection, channel or setup error; emitted only when someone listens, logged always. */
  error: [error: Error];
}
