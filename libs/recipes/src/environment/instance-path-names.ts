/** Replaces every run of characters that are not ASCII letters or digits with one underscore. */
function clean(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** An instance path's segments (`/vm/my-server` → `vm`, `my-server`). */
function segments(instancePath: string): string[] {
  return instancePath.split('/').filter((segment) => segment.length > 0);
}

/** `ROBOCONF_CLEAN_INSTANCE_PATH`: the path without its leading slash, non-alphanumerics as `_`. */
export function cleanInstancePath(instancePath: string): string {
  return clean(segments(instancePath).join('/'));
}

/** `ROBOCONF_CLEAN_REVERSED_INSTANCE_PATH`: the segments in reverse order, cleaned the same way. */
export function cleanReversedInstancePath(instancePath: string): string {
  return clean(segments(instancePath).reverse().join('/'));
}

/** A variable's short name (`Db.port` → `port`), with `-` and spaces as `_` as Roboconf passes it. */
export function shortVariableName(qualifiedOrShort: string): string {
  const dot = qualifiedOrShort.lastIndexOf('.');
  const short = dot >= 0 ? qualifiedOrShort.slice(dot + 1) : qualifiedOrShort;
  return short.replace(/[-\s]+/g, '_');
}
