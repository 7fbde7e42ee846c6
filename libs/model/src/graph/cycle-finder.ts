/**
 * Finds the cycles of a directed graph given as a successor function; each cycle is reported once,
 * as the list of its nodes starting from the first one met (`A -> B -> A` gives `['A', 'B']`).
 * Iterative, so that a hostile graph with a very long chain cannot overflow the call stack.
 */
export function findCycles(
  nodes: readonly string[],
  successors: (node: string) => readonly string[],
): string[][] {
  const done = new Set<string>();
  const seen = new Set<string>();
  const cycles: string[][] = [];
  for (const start of nodes) {
    if (done.has(start)) {
      continue;
    }
    const path: string[] = [start];
    const onPath = new Set<string>([start]);
    const pending: (readonly string[])[] = [successors(start)];
    const cursors: number[] = [0];
    while (path.length > 0) {
      const depth = path.length - 1;
      const next = pending[depth][cursors[depth]++];
      if (next === undefined) {
        done.add(path[depth]);
        onPath.delete(path[depth]);
        path.pop();
        pending.pop();
        cursors.pop();
      } else if (onPath.has(next)) {
        const cycle = path.slice(path.indexOf(next));
        const key = [...cycle].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!done.has(next)) {
        path.push(next);
        onPath.add(next);
        pending.push(successors(next));
        cursors.push(0);
      }
    }
  }
  return cycles;
}
