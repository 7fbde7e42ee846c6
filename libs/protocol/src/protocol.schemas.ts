import { z } from 'zod';
import { MAX_LOG_TAIL_CHARS } from './protocol.constants';

/** An instance path: `/` then names joined by `/` (`/vm1/tomcat`). */
export const instancePathSchema = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^(\/[^/\0]+)+$/, 'must be an instance path such as /vm1/tomcat');

/** A component, facet or application name as the DSL allows it. */
export const modelNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\0\s/]+$/);

/** Variables by name (qualified `Db.port` or short `port`) with their values. */
export const variablesSchema = z.record(z.string().min(1).max(256), z.string().max(4096));

/** The lifecycle steps an agent runs. */
export const stepNameSchema = z.enum(['deploy', 'start', 'stop', 'undeploy', 'update']);

/** Identity of a recipe bundle: one per (template, version, component), named by its SHA-256. */
export const bundleRefSchema = z.strictObject({
  templateName: modelNameSchema,
  templateVersion: z.string().min(1).max(128),
  component: modelNameSchema,
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in hex'),
});

/** One exporting instance an importing instance receives variables from. */
export const resolvedImportSchema = z.strictObject({
  instancePath: instancePathSchema,
  variables: variablesSchema,
});

/** The import change that triggers `update.sh`. */
export const importChangeSchema = z.strictObject({
  status: z.string().min(1).max(64),
  instancePath: instancePathSchema,
  component: modelNameSchema,
  variables: variablesSchema,
});

/** A firewall port as `flotilla-fw` opens it. */
export const portRuleSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp']),
});

/** How a step ended, as the agent saw it. */
export const stepStatusSchema = z.enum([
  'succeeded',
  'skipped',
  'failed',
  'timed-out',
  'aborted',
  'refused',
]);

/** Why an agent refused a step before running it. */
export const stepRefusalSchema = z.strictObject({
  code: z.enum([
    'UNSUPPORTED_INSTALLER',
    'BUNDLE_MISSING',
    'BUNDLE_INVALID',
    'INVALID_REQUEST',
    'NOT_A_PROXY',
  ]),
  message: z.string().max(2048),
});

/** A log tail, capped. */
export const logTailSchema = z.string().max(MAX_LOG_TAIL_CHARS);
