export * from './model.types';
export * from './lifecycle';
export * from './imports';
export * from './errors';
export {
  IP_VARIABLE,
  MAX_INSTANCE_COUNT,
  SCRIPT_INSTALLERS,
  TARGET_INSTALLER,
  WILDCARD_VARIABLE,
} from './dsl/dsl.constants';
export type * from './dsl/graph-declarations.types';
export type * from './dsl/instance-declarations.types';
export type { RawImport } from './dsl/model-file.types';
export { parseGraphText, type GraphParseResult } from './dsl/graph.parser';
export { parseInstancesText, type InstancesParseResult } from './dsl/instances.parser';
export {
  loadGraph,
  parseGraphFile,
  resolveGraph,
  type GraphLoadOptions,
  type GraphLoadResult,
} from './graph/graph-loader';
export { importMatches } from './graph/graph-validator';
export {
  buildInstances,
  loadInstances,
  type InstancesLoadOptions,
  type InstancesLoadResult,
} from './instances/instances-loader';
export {
  loadTemplate,
  loadTemplateDirectory,
  type LoadedTemplate,
  type TemplateLoadOptions,
  type TemplateLoadResult,
} from './template/template-loader';
export type { TemplateDescriptor } from './template/template-descriptor';
export { findRecipeOwner, listRecipeFiles } from './template/recipe-files';
export { extractArchive, isArchiveName, readArchive } from './template/archive/archive-extractor';
export {
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveEntry,
  type ArchiveLimits,
} from './template/archive/archive-entry';
