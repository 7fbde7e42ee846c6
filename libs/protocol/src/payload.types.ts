import type { z } from 'zod';
import type {
  AGENT_CAPABILITIES_V1,
  AGENT_INVENTORY_V1,
  AGENT_STEP_OUTPUT_V1,
  AGENT_STEP_RESULT_V1,
  DM_RECIPE_BUNDLE_V1,
  DM_STEP_RUN_V1,
} from './lifecycle-message-types';

/** Payload of `dm.recipe.bundle.v1`. */
export type RecipeBundlePayload = z.infer<typeof DM_RECIPE_BUNDLE_V1.schema>;
/** Payload of `dm.step.run.v1`. */
export type StepRunPayload = z.infer<typeof DM_STEP_RUN_V1.schema>;
/** Payload of `agent.step.result.v1`. */
export type StepResultPayload = z.infer<typeof AGENT_STEP_RESULT_V1.schema>;
/** Payload of `agent.step.output.v1`. */
export type StepOutputPayload = z.infer<typeof AGENT_STEP_OUTPUT_V1.schema>;
/** Payload of `agent.inventory.v1`. */
export type InventoryPayload = z.infer<typeof AGENT_INVENTORY_V1.schema>;
/** Payload of `agent.capabilities.v1`. */
export type CapabilitiesPayload = z.infer<typeof AGENT_CAPABILITIES_V1.schema>;
/** The agentless target block of a step command. */
export type AgentlessTargetPayload = NonNullable<StepRunPayload['agentless']>;
/** The set-up block of an agentless step's result. */
export type AgentlessSetupPayload = NonNullable<StepResultPayload['setup']>;
