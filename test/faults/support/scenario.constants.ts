/** How long a fleet may take to reach a state after a fault: generous, never asserted. */
export const SETTLE_MS = 180_000;
/** How long a scenario waits for the step it interrupts to begin. */
export const STEP_BEGIN_MS = 90_000;
