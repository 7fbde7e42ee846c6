import { z } from 'zod';
import type { MessageTypeDefinition } from '@flotilla/messaging';
import {
  MAX_OUTPUT_CHUNK_CHARS,
  RECIPE_BUNDLE_TTL_MS,
  STEP_COMMAND_TTL_MS,
  STEP_OUTPUT_TTL_MS,
  STEP_REPORT_TTL_MS,
} from './protocol.constants';
import {
  bundleRefSchema,
  importChangeSchema,
  instancePathSchema,
  logTailSchema,
  modelNameSchema,
  portRuleSchema,
  resolvedImportSchema,
  stepNameSchema,
  stepRefusalSchema,
  stepStatusSchema,
  variablesSchema,
} from './protocol.schemas';
import {
  agentCapabilitiesSchema,
  agentlessSetupSchema,
  agentlessTargetSchema,
} from './agentless.schemas';

const jobId = z.uuid();
const timestamp = z.number().int().nonnegative();

/** The DM ships a component's recipe bundle; the agent checks the digest and caches it per template version. */
export const DM_RECIPE_BUNDLE_V1 = {
  type: 'dm.recipe.bundle.v1',
  schema: z.strictObject({
    bundle: bundleRefSchema,
    /** The packed bundle (libs/recipes format), base64. */
    content: z.base64(),
  }),
  senders: ['dm'],
  maxTtlMs: RECIPE_BUNDLE_TTL_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/**
 * The DM asks an agent to run one lifecycle step of one instance. `jobId` is the idempotency key:
 * an agent runs a job at most once and answers a duplicate with the result it already has.
 */
export const DM_STEP_RUN_V1 = {
  type: 'dm.step.run.v1',
  schema: z.strictObject({
    jobId,
    attempt: z.number().int().min(1),
    application: modelNameSchema,
    instance: z.strictObject({
      name: z.string().min(1).max(256),
      path: instancePathSchema,
      component: modelNameSchema,
      installer: z.string().min(1).max(64),
    }),
    step: stepNameSchema,
    /** Absent for components without recipes (`target` roots). */
    bundle: bundleRefSchema.optional(),
    exports: variablesSchema,
    /** Export names (qualified) declared `random[port]` that have no value yet: the agent picks a free port. */
    randomPorts: z.array(z.string().min(1).max(256)).max(64),
    imports: z.record(modelNameSchema, z.array(resolvedImportSchema).max(10_000)),
    ancestors: z.array(z.strictObject({ component: modelNameSchema, variables: variablesSchema })),
    importChange: importChangeSchema.optional(),
    /** Present when the instance's root is agentless: the agent runs the step there as a proxy. */
    agentless: agentlessTargetSchema.optional(),
    timeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * 60 * 60 * 1000),
  }),
  senders: ['dm'],
  maxTtlMs: STEP_COMMAND_TTL_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** An agent reports how a step ended; never success it did not see. */
export const AGENT_STEP_RESULT_V1 = {
  type: 'agent.step.result.v1',
  schema: z.strictObject({
    jobId,
    attempt: z.number().int().min(1),
    instancePath: instancePathSchema,
    step: stepNameSchema,
    status: stepStatusSchema,
    exitCode: z.number().int().nullable(),
    signal: z.string().max(32).nullable(),
    logTail: logTailSchema,
    /** The instance's exports after the step, random ports included. */
    exports: variablesSchema,
    /** The ports the instance holds open on this host after the step. */
    openPorts: z.array(portRuleSchema).max(1024),
    refusal: stepRefusalSchema.optional(),
    /** Present for an agentless step: the proxy's set-up, apart from the recipe's output. */
    setup: agentlessSetupSchema.optional(),
    startedAt: timestamp,
    endedAt: timestamp,
  }),
  senders: ['agent'],
  maxTtlMs: STEP_REPORT_TTL_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** Live output of a running step, for the console and the CLI; the full log stays on the agent. */
export const AGENT_STEP_OUTPUT_V1 = {
  type: 'agent.step.output.v1',
  schema: z.strictObject({
    jobId,
    instancePath: instancePathSchema,
    sequence: z.number().int().nonnegative(),
    stream: z.enum(['stdout', 'stderr']),
    chunk: z.string().max(MAX_OUTPUT_CHUNK_CHARS),
  }),
  senders: ['agent'],
  maxTtlMs: STEP_OUTPUT_TTL_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/**
 * What an agent holds, sent when it starts and when it is accepted: the DM reconciles its records
 * with it (steps interrupted by a crash, ports left open).
 */
export const AGENT_INVENTORY_V1 = {
  type: 'agent.inventory.v1',
  schema: z.strictObject({
    instances: z
      .array(
        z.strictObject({
          path: instancePathSchema,
          state: z.enum(['not_deployed', 'deployed_stopped', 'deployed_started']),
          exports: variablesSchema,
          openPorts: z.array(portRuleSchema).max(1024),
        }),
      )
      .max(100_000),
    /** Jobs the agent accepted but whose step never ended (the agent died): reported as aborted. */
    interruptedJobs: z.array(jobId).max(100_000),
    bundles: z.array(bundleRefSchema).max(100_000),
  }),
  senders: ['agent'],
  maxTtlMs: STEP_REPORT_TTL_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** An agent announces, at each start, what it offers beyond running local steps (the proxy role). */
export const AGENT_CAPABILITIES_V1 = {
  type: 'agent.capabilities.v1',
  schema: agentCapabilitiesSchema,
  senders: ['agent'],
  maxTtlMs: STEP_REPORT_TTL_MS,
  carriesCertificate: false,
  encrypted: false,
} as const satisfies MessageTypeDefinition;

/** The lifecycle message types, to register beside the messaging library's core types. */
export const LIFECYCLE_MESSAGE_TYPES: readonly MessageTypeDefinition[] = [
  DM_RECIPE_BUNDLE_V1,
  DM_STEP_RUN_V1,
  AGENT_STEP_RESULT_V1,
  AGENT_STEP_OUTPUT_V1,
  AGENT_INVENTORY_V1,
  AGENT_CAPABILITIES_V1,
];
