import type { z } from 'zod';
import { DmError } from '../errors';

/**
 * Validates a request part (body or query) against a schema.
 * @throws DmError REQUEST_INVALID naming every bad field.
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: string,
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${[part, ...issue.path].join('.')}: ${issue.message}`,
    );
    throw new DmError('REQUEST_INVALID', `Invalid request: ${problems.join('; ')}`, { problems });
  }
  return result.data;
}
