/** Component and facet names: a letter or `_`, then letters, digits, `_`, `-`, `.` or spaces. */
export const TYPE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.\- ]*$/;

/** Installer names: letters, digits, `_`, `-`, `.`. */
export const INSTALLER_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** Variable names: a letter or `_`, then letters, digits, `_`, `-`, `.`. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The installer that marks a root component (a host, a scoped instance). */
export const TARGET_INSTALLER = 'target';

/** The exported variable every agent fills in itself, so it never needs a value. */
export const IP_VARIABLE = 'ip';

/** The wildcard variable of an import (`Tomcat.*`). */
export const WILDCARD_VARIABLE = '*';

/** Properties a component block accepts; `exports` and `imports` may be repeated. */
export const COMPONENT_PROPERTIES = [
  'installer',
  'children',
  'exports',
  'imports',
  'facets',
  'extends',
];

/** Properties a facet block accepts. */
export const FACET_PROPERTIES = ['children', 'exports', 'extends'];

/** Properties that may appear several times in one block. */
export const REPEATABLE_PROPERTIES = ['exports', 'imports'];

/** The largest model file (graph, instances, descriptor) the loaders read: 1 MiB. */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024;

/** The largest `count` of one instance block. */
export const MAX_INSTANCE_COUNT = 10_000;

/** The most instances one instances tree may expand to (counts multiply through nesting). */
export const MAX_INSTANCES = 100_000;

/** Instance properties with a meaning of their own (anything else overrides an export or is extra). */
export const INSTANCE_RESERVED_PROPERTIES = ['name', 'count'];

/** Instance properties Roboconf knows besides exports: passed on as they are, never warned about. */
export const INSTANCE_KNOWN_PROPERTIES = ['channels', 'instance-state', 'instance-data'];

/** The prefix of instance properties that override target properties (`data.ec2.elastic.ip`). */
export const INSTANCE_DATA_PREFIX = 'data.';

/** Installers that run the shell recipes of `graph/<Component>/scripts/` (`bash` is the older name). */
export const SCRIPT_INSTALLERS: readonly string[] = ['script', 'bash'];

/** The deepest nesting of `instance of` blocks a file may have (real trees are a few levels deep). */
export const MAX_NESTING_DEPTH = 100;

/** The longest `extends` chain followed (real hierarchies are a few levels deep). */
export const MAX_INHERITANCE_DEPTH = 50;
