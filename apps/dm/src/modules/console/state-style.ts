import type { InstanceState } from '@flotilla/model';

/** How a state is drawn: fill and text colours, plus a readable label (colour is never alone). */
export interface StateStyle {
  readonly fill: string;
  readonly text: string;
  readonly label: string;
}

/** The style of every instance state; text colours keep a contrast of at least 4.5:1. */
export const STATE_STYLES: Readonly<Record<InstanceState, StateStyle>> = {
  not_deployed: { fill: '#e5e7eb', text: '#111827', label: 'not deployed' },
  deploying: { fill: '#bfdbfe', text: '#1e3a8a', label: 'deploying' },
  deployed_stopped: { fill: '#fde68a', text: '#78350f', label: 'deployed, stopped' },
  unresolved: { fill: '#fed7aa', text: '#7c2d12', label: 'unresolved imports' },
  waiting_for_ancestor: { fill: '#e9d5ff', text: '#581c87', label: 'waiting for ancestor' },
  starting: { fill: '#a7f3d0', text: '#064e3b', label: 'starting' },
  deployed_started: { fill: '#16a34a', text: '#ffffff', label: 'started' },
  stopping: { fill: '#fef3c7', text: '#78350f', label: 'stopping' },
  undeploying: { fill: '#dbeafe', text: '#1e3a8a', label: 'undeploying' },
  problem: { fill: '#dc2626', text: '#ffffff', label: 'problem' },
};

/** The style of a state name as stored, with a neutral one for names this console does not know. */
export function styleOfState(state: string): StateStyle {
  return (
    (STATE_STYLES as Readonly<Record<string, StateStyle>>)[state] ?? {
      fill: '#ffffff',
      text: '#111827',
      label: state,
    }
  );
}
