/** An authenticated operator, as guards and services see it. */
export interface Operator {
  readonly id: string;
  readonly username: string;
}

/** The audit actor string of an operator. */
export function operatorActor(operator: Operator): string {
  return `operator:${operator.username}`;
}
