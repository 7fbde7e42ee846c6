import type { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { DIAGNOSTIC_CODES } from '../errors';
import type { SourcePosition } from '../model.types';
import { parseProperties, type PropertyEntry } from './properties.parser';

/** What a template's `descriptor/application.properties` says. */
export interface TemplateDescriptor {
  readonly name: string;
  readonly version?: string;
  readonly description?: string;
  readonly graphEntryPoint?: string;
  readonly graphEntryPosition?: SourcePosition;
  readonly instanceEntryPoint?: string;
  readonly instanceEntryPosition?: SourcePosition;
  /** `exports-prefix`: the prefix other applications import this one's exports with. */
  readonly exportsPrefix?: string;
  /** `exports`, as written: the variables offered to other applications (`Comp.var as alias`). */
  readonly exports?: PropertyEntry;
}

const MAVEN_PLACEHOLDER = /\$\{[^}]*\}/;

/** Keys read for each field, the current name first, then Roboconf's older `application-*` names. */
const KEYS = {
  name: ['name', 'application-name'],
  version: ['version', 'application-version', 'qualifier', 'application-qualifier'],
  description: ['description', 'application-description'],
  graphEntryPoint: ['graph-entry-point'],
  instanceEntryPoint: ['instance-entry-point'],
  exportsPrefix: ['exports-prefix'],
  exports: ['exports'],
} as const;

type Entries = ReadonlyMap<string, PropertyEntry>;

/** The first non-empty entry among the keys of a field. */
function entryOf(entries: Entries, field: keyof typeof KEYS): PropertyEntry | undefined {
  return KEYS[field]
    .map((key) => entries.get(key))
    .find((entry) => entry !== undefined && entry.value !== '');
}

/** A field's value; a Maven placeholder gives the fallback (or nothing) and a warning. */
function valueOf(
  entries: Entries,
  field: keyof typeof KEYS,
  collector: DiagnosticCollector,
  fallback?: string,
): string | undefined {
  const entry = entryOf(entries, field);
  if (!entry || !MAVEN_PLACEHOLDER.test(entry.value)) {
    return entry?.value;
  }
  const outcome =
    fallback === undefined ? 'left unset' : `the directory name '${fallback}' stands in`;
  collector.warning(
    DIAGNOSTIC_CODES.mavenPlaceholder,
    `Maven placeholder in ${field} '${entry.value}': ${outcome}`,
    entry.position,
  );
  return fallback;
}

/** Reports a required key that is missing. */
function requireValue(
  value: unknown,
  key: string,
  file: string,
  collector: DiagnosticCollector,
): void {
  if (value === undefined) {
    collector.error(DIAGNOSTIC_CODES.invalidDescriptor, `${file} has no '${key}'`, {
      file,
      line: 1,
      column: 1,
    });
  }
}

/** Only the defined values, so that absent fields stay absent. */
function defined(
  fields: Record<string, string | SourcePosition | undefined>,
): Record<string, string | SourcePosition> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Record<string, string | SourcePosition>;
}

/**
 * Reads a template descriptor. A Maven placeholder (`${project.artifactId}`) in the name is replaced
 * by the template's directory name, and one in another field leaves it unset, each with a warning.
 */
export function readTemplateDescriptor(
  text: string,
  file: string,
  directoryName: string,
  collector: DiagnosticCollector,
): TemplateDescriptor {
  const entries = parseProperties(text, file);
  const name = valueOf(entries, 'name', collector, directoryName);
  requireValue(name, 'name', file, collector);
  const graphEntry = entryOf(entries, 'graphEntryPoint');
  requireValue(graphEntry, 'graph-entry-point', file, collector);
  const instanceEntry = entryOf(entries, 'instanceEntryPoint');
  const exports = entryOf(entries, 'exports');
  return {
    name: name ?? directoryName,
    ...(exports ? { exports } : {}),
    ...defined({
      version: valueOf(entries, 'version', collector),
      description: valueOf(entries, 'description', collector),
      exportsPrefix: valueOf(entries, 'exportsPrefix', collector),
      graphEntryPoint: graphEntry?.value,
      graphEntryPosition: graphEntry?.position,
      instanceEntryPoint: instanceEntry?.value,
      instanceEntryPosition: instanceEntry?.position,
    }),
  };
}
