import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { LogLevel } from '../config/dm-config';
import { CORRELATION_ID_HEADER } from '../dm.constants';

/** A correlation id a client may choose: short, and safe to copy into logs and envelopes. */
const ACCEPTABLE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses the caller's correlation id when it is acceptable, or makes one; echoes it back. */
export function correlationIdOf(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[CORRELATION_ID_HEADER];
  const id =
    typeof incoming === 'string' && ACCEPTABLE_CORRELATION_ID.test(incoming)
      ? incoming
      : randomUUID();
  response.setHeader(CORRELATION_ID_HEADER, id);
  return id;
}

/** nestjs-pino options: JSON logs, one line per request, correlation ids, no secrets. */
export function pinoHttpOptions(level: LogLevel): Params {
  return {
    // Nest 11's router wants named wildcards; nestjs-pino's default `*` logs a warning at start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      genReqId: correlationIdOf,
      customAttributeKeys: { reqId: 'correlationId' },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
  };
}
