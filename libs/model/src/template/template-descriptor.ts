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
} as const;

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
  const read = (field: keyof typeof KEYS): PropertyEntry | undefined =>
    KEYS[field]
      .map((key) => entries.get(key))
      .find((entry) => entry !== undefined && entry.value !== '');
  const field = (name: keyof typeof KEYS, fallback?: string): string | undefined => {
    const entry = read(name);
    if (!entry || !MAVEN_PLACEHOLDER.test(entry.value)) {
      return entry?.value;
    }
    const outcome =
      fallback === undefined ? 'left unset' : `the directory name '${fallback}' stands in`;
    collector.warning(
      DIAGNOSTIC_CODES.mavenPlaceholder,
      `Maven placeholder in ${name} '${entry.value}': ${outcome}`,
      entry.position,
    );
    return fallback;
  };
  const name = field('name', directoryName);
  if (name === undefined) {
    collector.error(DIAGNOSTIC_CODES.invalidDescriptor, `${file} has no 'name'`, {
      file,
      line: 1,
      column: 1,
    });
  }
  const graphEntry = read('graphEntryPoint');
  if (!graphEntry) {
    collector.error(DIAGNOSTIC_CODES.invalidDescriptor, `${file} has no 'graph-entry-point'`, {
      file,
      line: 1,
      column: 1,
    });
  }
  const instanceEntry = read('instanceEntryPoint');
  const optional = (key: string, value: string | undefined): Record<string, string> =>
    value === undefined ? {} : { [key]: value };
  return {
    name: name ?? directoryName,
    ...optional('version', field('version')),
    ...optional('description', field('description')),
    ...optional('exportsPrefix', field('exportsPrefix')),
    ...(graphEntry
      ? { graphEntryPoint: graphEntry.value, graphEntryPosition: graphEntry.position }
      : {}),
    ...(instanceEntry
      ? { instanceEntryPoint: instanceEntry.value, instanceEntryPosition: instanceEntry.position }
      : {}),
  };
}
