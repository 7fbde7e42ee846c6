import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/** The route label of requests no route matched: raw paths would explode the label set. */
const UNMATCHED_ROUTE = 'unmatched';

function routeTemplate(request: Request): string {
  // Express sets `route` once a route matched; its typings say `any`.
  const route: unknown = request.route;
  const path: unknown = route && typeof route === 'object' && 'path' in route ? route.path : null;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : UNMATCHED_ROUTE;
}

/** An express middleware that counts every answered request, refused ones included. */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(request.method, routeTemplate(request), response.statusCode, seconds);
    });
    next();
  };
}
