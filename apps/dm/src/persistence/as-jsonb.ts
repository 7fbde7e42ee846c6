/**
 * Types a JSON object for TypeORM's insert and update, whose deep-partial typing refuses members
 * of type `unknown` although any JSON value is fine in a jsonb column.
 */
export function asJsonb(value: Readonly<Record<string, unknown>>): Record<string, object> {
  return value as Record<string, object>;
}
