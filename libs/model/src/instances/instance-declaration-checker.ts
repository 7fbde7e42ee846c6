import type { DiagnosticCollector } from '../dsl/diagnostic-collector';
import { INSTANCE_DATA_PREFIX, INSTANCE_KNOWN_PROPERTIES, IP_VARIABLE } from '../dsl/dsl.constants';
import type { InstanceDeclaration } from '../dsl/instance-declarations.types';
import { DIAGNOSTIC_CODES } from '../errors';
import type { ExportedVariable, ResolvedComponent, ResolvedGraph } from '../model.types';

/** What an instance block writes, sorted: exports it overrides and other properties. */
export interface InstanceValues {
  readonly overriddenExports: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, string>>;
}

/** The short name of a qualified variable (`Db.port` → `port`). */
function shortName(qualified: string): string {
  return qualified.slice(qualified.indexOf('.') + 1);
}

/**
 * Checks instance blocks against a resolved graph, once per block whatever its `count`: known
 * component, allowed parent, root installer, exports overridden or needing a value.
 */
export class InstanceDeclarationChecker {
  constructor(
    private readonly graph: ResolvedGraph | undefined,
    private readonly collector: DiagnosticCollector,
  ) {}

  /** Checks a block under its parent's component (undefined for a root) and sorts its values. */
  check(
    declaration: InstanceDeclaration,
    parent: ResolvedComponent | undefined,
    isRoot: boolean,
  ): InstanceValues {
    const label = `instance '${declaration.name ?? '?'}'`;
    if (declaration.name === undefined || declaration.name.trim() === '') {
      this.collector.error(
        DIAGNOSTIC_CODES.missingInstanceName,
        `instance of '${declaration.component}' has no name (add 'name: ...;')`,
        declaration.position,
      );
    } else if (declaration.name.includes('/')) {
      this.collector.error(
        DIAGNOSTIC_CODES.invalidName,
        `${label}: an instance name cannot contain '/'`,
        declaration.position,
      );
    }
    const component = this.graph?.components[declaration.component];
    if (!this.graph) {
      return sortValues(declaration, undefined);
    }
    if (!component) {
      this.collector.error(
        DIAGNOSTIC_CODES.unknownComponent,
        `${label} is of unknown component '${declaration.component}'`,
        declaration.componentPosition,
      );
      return sortValues(declaration, undefined);
    }
    this.checkPlace(declaration, component, parent, isRoot);
    const values = sortValues(declaration, component);
    this.warnUnknownProperties(declaration, values, component);
    this.checkExportValues(declaration, values, component);
    return values;
  }

  private checkPlace(
    declaration: InstanceDeclaration,
    component: ResolvedComponent,
    parent: ResolvedComponent | undefined,
    isRoot: boolean,
  ): void {
    const label = `instance '${declaration.name ?? '?'}'`;
    if (isRoot && !component.isRoot) {
      this.collector.error(
        DIAGNOSTIC_CODES.rootNotTarget,
        `root ${label} is of component '${component.name}' whose installer is '${component.installer}': a root instance needs a component with installer 'target'`,
        declaration.componentPosition,
      );
    }
    if (parent && !parent.children.includes(component.name)) {
      const accepted = parent.children.length > 0 ? parent.children.join(', ') : 'no children';
      this.collector.error(
        DIAGNOSTIC_CODES.invalidChildInstance,
        `${label} of component '${component.name}' cannot be a child of an instance of '${parent.name}' (which accepts ${accepted})`,
        declaration.componentPosition,
      );
    }
  }

  private warnUnknownProperties(
    declaration: InstanceDeclaration,
    values: InstanceValues,
    component: ResolvedComponent,
  ): void {
    for (const property of declaration.properties) {
      if (property.key in values.overriddenExports || isKnownProperty(property.key)) {
        continue;
      }
      this.collector.warning(
        DIAGNOSTIC_CODES.unknownInstanceProperty,
        `instance '${declaration.name ?? '?'}': property '${property.key}' is not a variable exported by component '${component.name}' (passed to recipes as is)`,
        property.position,
      );
    }
  }

  private checkExportValues(
    declaration: InstanceDeclaration,
    values: InstanceValues,
    component: ResolvedComponent,
  ): void {
    for (const variable of component.exports) {
      if (needsValue(variable) && !isOverridden(variable, values)) {
        this.collector.error(
          DIAGNOSTIC_CODES.missingExportValue,
          `instance '${declaration.name ?? '?'}': exported variable ${variable.name} has no value: give it a default in the graph or write '${shortName(variable.name)}: value;' in the instance`,
          declaration.position,
        );
      }
    }
  }
}

function isKnownProperty(key: string): boolean {
  return INSTANCE_KNOWN_PROPERTIES.includes(key) || key.startsWith(INSTANCE_DATA_PREFIX);
}

function needsValue(variable: ExportedVariable): boolean {
  return (
    variable.defaultValue === undefined &&
    variable.random === undefined &&
    shortName(variable.name) !== IP_VARIABLE
  );
}

function isOverridden(variable: ExportedVariable, values: InstanceValues): boolean {
  return (
    variable.name in values.overriddenExports ||
    shortName(variable.name) in values.overriddenExports
  );
}

function sortValues(
  declaration: InstanceDeclaration,
  component: ResolvedComponent | undefined,
): InstanceValues {
  // Null-prototype records: a property named __proto__ stays a plain key.
  const overriddenExports = Object.create(null) as Record<string, string>;
  const properties = Object.create(null) as Record<string, string>;
  for (const property of declaration.properties) {
    const exported = component?.exports.some(
      (variable) => variable.name === property.key || shortName(variable.name) === property.key,
    );
    (exported ? overriddenExports : properties)[property.key] = property.value;
  }
  return { overriddenExports, properties };
}
