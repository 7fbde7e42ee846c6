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

/** Returns the dotted path of the first issue of a zod error. */
export function firstIssueField(error: z.ZodError): string {
  return error.issues[0]?.path.map(String).join('.') ?? '';
}
