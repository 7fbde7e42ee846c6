/**
 * Finds the cycles of a directed graph given as a successor function; each cycle is reported once,
 * as the list of its nodes starting from the first one met (`A -> B -> A` gives `['A', 'B']`).
 */
export function findCycles(
  nodes: readonly string[],
  successors: (node: string) => readonly string[],
): string[][] {
  const done = new Set<string>();
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const path: string[] = [];
  const visit = (node: string): void => {
    const index = path.indexOf(node);
    if (index >= 0) {
      const cycle = path.slice(index);
      const key = [...cycle].sort().join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
      return;
    }
    if (done.has(node)) {
      return;
    }
    path.push(node);
    for (const next of successors(node)) {
      visit(next);
    }
    path.pop();
    done.add(node);
  };
  for (const node of nodes) {
    visit(node);
  }
  return cycles;
}
