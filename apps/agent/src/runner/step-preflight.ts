import type { RecipeBundleCache } from '@flotilla/recipes';
import type { StepRunPayload } from '@flotilla/protocol';

/** Installers whose steps are shell scripts shipped in a recipe bundle. */
export const SCRIPT_INSTALLERS: readonly string[] = ['script', 'bash'];

/** Roboconf's installer of root instances (machines): no recipe, every step is a no-op. */
export const TARGET_INSTALLER = 'target';

/** Why a step is refused before it runs. */
export interface StepRefusal {
  readonly code: 'UNSUPPORTED_INSTALLER' | 'BUNDLE_MISSING';
  readonly message: string;
}

/** What a step runs with: the cached bundle directory, or none for a `target` root. */
export type StepPreflight =
  | { readonly kind: 'run'; readonly bundleDir: string | undefined }
  | { readonly kind: 'refused'; readonly refusal: StepRefusal };

/** Checks the installer and that the bundle the step names is cached with the same digest. */
export async function preflightStep(
  command: StepRunPayload,
  bundles: RecipeBundleCache,
): Promise<StepPreflight> {
  const { installer, path, component } = command.instance;
  if (installer === TARGET_INSTALLER && command.bundle === undefined) {
    return { kind: 'run', bundleDir: undefined };
  }
  if (!SCRIPT_INSTALLERS.includes(installer)) {
    return refuse(
      'UNSUPPORTED_INSTALLER',
      `instance ${path} (component ${component}) uses installer "${installer}"; this agent runs only ${SCRIPT_INSTALLERS.join(', ')} recipes and ${TARGET_INSTALLER} roots`,
    );
  }
  const bundle = command.bundle;
  if (bundle === undefined) {
    return refuse(
      'BUNDLE_MISSING',
      `step ${command.step} of ${path} names no recipe bundle for component ${component}`,
    );
  }
  const cached = await bundles.cachedDigest(bundle);
  if (cached !== bundle.digest) {
    return refuse(
      'BUNDLE_MISSING',
      `recipe bundle ${bundle.templateName}@${bundle.templateVersion}/${bundle.component} sha256:${bundle.digest} is not cached on this agent (cached: ${cached ?? 'none'}); send dm.recipe.bundle.v1 first`,
    );
  }
  return { kind: 'run', bundleDir: bundles.directoryFor(bundle) };
}

function refuse(code: StepRefusal['code'], message: string): StepPreflight {
  return { kind: 'refused', refusal: { code, message } };
}
