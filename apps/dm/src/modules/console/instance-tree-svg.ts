import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import { escapeHtml } from './html';
import type { ImportLink, TreeInstance } from './import-links';
import { styleOfState } from './state-style';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 58;
const MARGIN = 12;
const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.edgeRouting': 'POLYLINE',
};

const elk = new ELK();

function edgeId(kind: 'child' | 'import', index: number): string {
  return `${kind}-${index}`;
}

function nodeMarkup(instance: TreeInstance, node: ElkNode): string {
  const style = styleOfState(instance.actualState);
  const x = node.x ?? 0;
  const y = node.y ?? 0;
  const text = (dy: number, content: string, weight = 'normal') =>
    `<text x="${x + 10}" y="${y + dy}" fill="${style.text}" font-weight="${weight}">${escapeHtml(content)}</text>`;
  return (
    `<g class="instance" data-path="${escapeHtml(instance.path)}" data-state="${escapeHtml(instance.actualState)}">` +
    `<title>${escapeHtml(`${instance.path} (${instance.component}): ${style.label}`)}</title>` +
    `<rect x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="${style.fill}" stroke="#374151"/>` +
    text(18, instance.name, 'bold') +
    text(34, instance.component) +
    text(50, `state: ${style.label}`) +
    '</g>'
  );
}

function edgeMarkup(edge: ElkExtendedEdge): string {
  const isImport = edge.id.startsWith('import');
  return (edge.sections ?? [])
    .map((section) => {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      const path = points.map((point) => `${point.x},${point.y}`).join(' ');
      const style = isImport
        ? 'stroke="#7c3aed" stroke-dasharray="6 4" marker-end="url(#import-arrow)"'
        : 'stroke="#374151"';
      return `<polyline class="${isImport ? 'import-link' : 'child-link'}" points="${path}" fill="none" stroke-width="1.5" ${style}/>`;
    })
    .join('');
}

/** The ELK graph: one node per instance, child edges and import edges. */
function elkGraphOf(
  instances: readonly TreeInstance[],
  links: readonly ImportLink[],
  idOf: (path: string) => string,
): ElkNode {
  const children = instances
    .filter((instance) => instance.parentPath !== null)
    .map((instance, index) => ({
      id: edgeId('child', index),
      sources: [idOf(instance.parentPath ?? '')],
      targets: [idOf(instance.path)],
    }));
  const imports = links.map((link, index) => ({
    id: edgeId('import', index),
    sources: [idOf(link.importer)],
    targets: [idOf(link.exporter)],
  }));
  return {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: instances.map((instance) => ({
      id: idOf(instance.path),
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    })),
    edges: [...children, ...imports],
  };
}

/** The node id of each instance: its index, so that one layout serves every tree of that shape. */
function nodeIds(instances: readonly TreeInstance[]): (path: string) => string {
  const ids = new Map(instances.map((instance, index) => [instance.path, `n${index}`]));
  return (path) => ids.get(path) ?? '';
}

/** Lays the tree and its links out with ELK; the result depends on the shape only, not on states. */
export async function layOutInstanceTree(
  instances: readonly TreeInstance[],
  links: readonly ImportLink[],
): Promise<ElkNode> {
  return elk.layout(elkGraphOf(instances, links, nodeIds(instances)));
}

/**
 * Draws an application's instance tree (solid parent → child lines) and its import links (dashed
 * arrows from importer to exporter) as an SVG, at the positions of a layout of the same shape. Each
 * node shows its state both as a colour and as text; every text is escaped (names come from
 * uploaded templates).
 */
export function drawInstanceTree(instances: readonly TreeInstance[], laidOut: ElkNode): string {
  const idOf = nodeIds(instances);
  const width = (laidOut.width ?? 0) + 2 * MARGIN;
  const height = (laidOut.height ?? 0) + 2 * MARGIN;
  const placed = new Map((laidOut.children ?? []).map((node) => [node.id, node]));
  const nodes = instances.map((instance) =>
    nodeMarkup(instance, placed.get(idOf(instance.path)) ?? { id: idOf(instance.path) }),
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Instance tree and import links" ` +
    `viewBox="${-MARGIN} ${-MARGIN} ${width} ${height}" width="${width}" height="${height}" font-size="12" font-family="system-ui, sans-serif">` +
    '<defs><marker id="import-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
    '<path d="M 0 0 L 10 5 L 0 10 z" fill="#7c3aed"/></marker></defs>' +
    (laidOut.edges ?? []).map(edgeMarkup).join('') +
    nodes.join('') +
    '</svg>'
  );
}
