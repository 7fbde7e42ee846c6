import type { z } from 'zod';

/** Describes the first issue of a zod error as `field: message` (field `(root)` for the whole value). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) {
    return 'is invalid';
  }
  const field = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  return `${field}: ${issue.message}`;
}

/**
 * Returns the dotted path of the first issue of a zod error, under `parent` when the value checked
 * is one field of a larger one; a problem with the whole value is named `parent`, or `(root)`.
 */
export function firstIssueField(error: z.ZodError, parent?: string): string {
  const path = error.issues[0]?.path.map(String).join('.') ?? '';
  if (parent === undefined) {
    return path === '' ? '(root)' : path;
  }
  return path === '' ? parent : `${parent}.${path}`;
}
