import { DeadLetterError, type OpenedEnvelope } from '@flotilla/messaging';
import type { RecipeBundlePayload } from '@flotilla/protocol';
import { RecipeError, type RecipeBundleCache } from '@flotilla/recipes';
import type { AgentLogger } from '../support/agent-logger';

/**
 * Handles `dm.recipe.bundle.v1`: verifies the bundle's digest and unpacks it into the cache of its
 * template version; a bundle that fails its digest or format is dead-lettered, never retried.
 */
export function recipeBundleHandler(bundles: RecipeBundleCache, logger: AgentLogger) {
  return async (envelope: OpenedEnvelope): Promise<void> => {
    const { bundle, content } = envelope.payload as RecipeBundlePayload;
    const context = {
      messageId: envelope.messageId,
      correlationId: envelope.correlationId,
      ...bundle,
    };
    try {
      const dir = await bundles.install(bundle, Buffer.from(content, 'base64'), bundle.digest);
      logger.info('recipe bundle cached', { ...context, dir });
    } catch (error: unknown) {
      if (error instanceof RecipeError) {
        logger.warn('recipe bundle refused', {
          ...context,
          code: error.code,
          error: error.message,
        });
        throw new DeadLetterError(
          error.code,
          `recipe bundle of ${bundle.component}: ${error.message}`,
          {
            messageId: envelope.messageId,
            cause: error,
          },
        );
      }
      throw error;
    }
  };
}
