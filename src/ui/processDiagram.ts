/**
 * The process picture: the case package (forløbspakke) drawn from the case machine itself, so the
 * picture cannot drift from the rules. `processGraph` walks the statechart into a plain graph,
 * elkjs lays it out once per process, and `processDiagramSvg` renders an accessible SVG with the
 * case's current state marked. Pure: no I/O, and the same input always gives the same SVG.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import type { CaseView } from '../domain/schemas';
import { caseMachine } from '../machines/case';
import {
  ACTION_PLAN_WEEK,
  CLOSURE_AFTER_ASSESSMENT_WEEK,
  FIRST_FOLLOW_UP_WEEK,
  FOLLOW_UP_MAX_DAYS,
  FOLLOW_UP_MIN_DAYS,
  MAPPING_DEADLINE_WEEKS,
} from '../machines/case/deadlines';

// ---- The graph ---------------------------------------------------------------------------------

export type ProcessNodeKind = 'atomic' | 'compound' | 'parallel' | 'final';

export interface ProcessNode {
  /** Dotted path from the root, as `snapshot.value` spells it (`mapping.tracks.classCommunity.open`); the root is the machine id. */
  id: string;
  key: string;
  parent: string | null;
  label: string;
  kind: ProcessNodeKind;
  /** The state its parent starts in. */
  initial: boolean;
  /** Whether `label` is Danish; a state without a Danish label shows its key. */
  translated: boolean;
}

export interface ProcessEdge {
  id: string;
  source: string;
  /** Equal to `source` for a transition without a target: the case records something and stays. */
  target: string;
  event: string;
  label: string;
  /** The guard as written in the machine, e.g. `and(acceptable, decidesActionPlan)`. */
  guard?: string;
  /** Whether the state stays the same (no target). */
  stays: boolean;
  translated: boolean;
}

export interface ProcessGraph {
  id: string;
  nodes: ProcessNode[];
  edges: ProcessEdge[];
}

const weeks = (days: number) => days / 7;

/** Danish words for the machine's state keys; the week numbers come from the deadline rules. */
export const STATE_LABELS: Readonly<Record<string, string>> = {
  case: 'Forløbspakken',
  mapping: `Kortlægning (uge 1–${MAPPING_DEADLINE_WEEKS.assessment})`,
  tracks: 'Tre spor sideløbende',
  classCommunity: `Spor A: Klassefællesskabet (uge ${MAPPING_DEADLINE_WEEKS.class_community})`,
  pupilConversation: `Spor B: Samtale med eleven (uge ${MAPPING_DEADLINE_WEEKS.pupil_conversation})`,
  parentConversation: `Spor C: Samtale med forældrene (uge ${MAPPING_DEADLINE_WEEKS.parent_conversation})`,
  open: 'I gang',
  done: 'Udført',
  assessing: `Vurdering (uge ${MAPPING_DEADLINE_WEEKS.assessment})`,
  awaitingClosure: `Afslutning (uge ${CLOSURE_AFTER_ASSESSMENT_WEEK})`,
  actionPlan: `Handleplan (uge ${ACTION_PLAN_WEEK})`,
  followUp: `Opfølgning uge ${FIRST_FOLLOW_UP_WEEK}, så hver ${weeks(FOLLOW_UP_MIN_DAYS)}.–${weeks(FOLLOW_UP_MAX_DAYS)}. uge`,
  closed: 'Afsluttet',
  withdrawn: 'Trukket tilbage (oprettet ved en fejl)',
};

/** Danish words for the machine's event types. */
export const EVENT_LABELS: Readonly<Record<string, string>> = {
  'step.complete': 'Markeret udført',
  'assessment.decide': 'Vurdering',
  'plan.submit': 'Handleplan vedtaget',
  'followUp.record': 'Opfølgningsmøde holdt',
  escalate: 'Eskalering',
  close: 'Afslutning',
  'clock.tick': 'Ny skoledag: frister tjekkes',
  'deadlines.recompute': 'Ny skolekalender: frister genberegnes',
  'tovholder.reassign': 'Ny tovholder (skolelederen)',
  'case.correct': 'Rettelse med begrundelse',
  'case.withdraw': 'Trukket tilbage (skolelederen)',
  'consent.record': 'Forældrenes samtykke registreret',
  'consent.withdraw': 'Samtykke trukket tilbage',
  'section49a.record': 'Undtagelse efter § 49 a',
};

/**
 * Guards worth saying on an arrow: the ones that choose between targets. The `acceptable` and
 * `isStep` guards only check that a command is valid, which every arrow assumes.
 */
const CONDITION_LABELS: Readonly<Record<string, string>> = {
  decidesActionPlan: 'handleplan',
};

const DONE_EVENT_PREFIX = 'xstate.done.state.';

function stateLabel(key: string): { label: string; translated: boolean } {
  const label = STATE_LABELS[key];
  return label === undefined ? { label: key, translated: false } : { label, translated: true };
}

function eventLabel(event: string, source: AnyStateNode): { label: string; translated: boolean } {
  if (event.startsWith(DONE_EVENT_PREFIX)) {
    return { label: source.type === 'parallel' ? 'Alle spor udført' : 'Udført', translated: true };
  }
  if (event === '') return { label: 'Straks', translated: true };
  const label = EVENT_LABELS[event];
  return label === undefined ? { label: event, translated: false } : { label, translated: true };
}

/** A guard as text, and the names inside it (and/or/not are functions carrying `guards`). */
function describeGuard(guard: unknown): { text: string; names: string[] } {
  if (typeof guard === 'string') return { text: guard, names: [guard] };
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    const parts = guard.guards.map((inner: unknown) => describeGuard(inner));
    return { text: `${guard.name}(${parts.map((p) => p.text).join(', ')})`, names: parts.flatMap((p) => p.names) };
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') {
    return { text: guard.type, names: [guard.type] };
  }
  if (typeof guard === 'function') return { text: guard.name || 'inline', names: [] };
  return { text: 'guard', names: [] };
}

function pathOf(node: AnyStateNode, machineId: string): string {
  return node.path.length === 0 ? machineId : node.path.join('.');
}

function kindOf(node: AnyStateNode): ProcessNodeKind {
  // History states are not drawn as such; none exist today, and one would still show up.
  return node.type === 'history' ? 'atomic' : node.type;
}

/** Walks a machine definition into nodes (every state) and edges (every transition). */
export function processGraph(machine: AnyStateMachine): ProcessGraph {
  const machineId = machine.root.id;
  const nodes: ProcessNode[] = [];
  const edges: ProcessEdge[] = [];

  const visit = (node: AnyStateNode, parent: AnyStateNode | null) => {
    const id = pathOf(node, machineId);
    const initialKey = parent?.type === 'compound' ? parent.initial.target[0]?.key : undefined;
    nodes.push({
      id,
      key: node.key,
      parent: parent === null ? null : pathOf(parent, machineId),
      kind: kindOf(node),
      initial: initialKey === node.key,
      ...stateLabel(node.key),
    });

    // The map's keys are the event types; eventless (`always`) transitions have none.
    const transitions = [...node.transitions]
      .flatMap(([event, list]) => list.map((transition) => ({ event, transition })))
      .concat((node.always ?? []).map((transition) => ({ event: '', transition })));
    const shownConditionFor = new Set<string>();
    transitions.forEach(({ event, transition }, index) => {
      const guard = transition.guard === undefined ? undefined : describeGuard(transition.guard);
      const words = eventLabel(event, node);
      const condition = guard?.names.map((name) => CONDITION_LABELS[name]).find((text) => text !== undefined);
      // A later transition for the same event is taken only when an earlier, conditional one was not.
      const otherwise = condition === undefined && shownConditionFor.has(event);
      if (condition !== undefined) shownConditionFor.add(event);
      const label = condition ? `${words.label}: ${condition}` : otherwise ? `${words.label}: ellers` : words.label;
      const targets = transition.target ?? [];
      const common = { event, label, translated: words.translated, ...(guard ? { guard: guard.text } : {}) };
      if (targets.length === 0) {
        edges.push({ id: `${id}:${index}:${event}`, source: id, target: id, stays: true, ...common });
      }
      for (const target of targets) {
        const targetId = pathOf(target, machineId);
        edges.push({ id: `${id}:${index}:${event}:${targetId}`, source: id, target: targetId, stays: false, ...common });
      }
    });

    for (const child of Object.values(node.states)) visit(child, node);
  };
  visit(machine.root, null);
  return { id: machineId, nodes, edges };
}

// ---- State values and case views ---------------------------------------------------------------

/**
 * Flattens a state value (`snapshot.value`) into dotted leaf paths:
 * `{ mapping: { tracks: { classCommunity: 'open', … } } }` → `['mapping.tracks.classCommunity.open', …]`.
 */
export function statePathsOf(value: unknown, prefix = ''): string[] {
  const join = (key: string) => (prefix === '' ? key : `${prefix}.${key}`);
  if (typeof value === 'string') return [join(value)];
  if (typeof value !== 'object' || value === null) return prefix === '' ? [] : [prefix];
  const entries = Object.entries(value);
  if (entries.length === 0) return prefix === '' ? [] : [prefix];
  return entries.flatMap(([key, inner]) => statePathsOf(inner, join(key)));
}

/** Which region of the parallel mapping state carries which step. */
const TRACK_REGIONS = [
  ['classCommunity', 'class_community'],
  ['pupilConversation', 'pupil_conversation'],
  ['parentConversation', 'parent_conversation'],
] as const;

/**
 * The machine's state, derived from the case view, which keeps the phase and the steps but not
 * the XState snapshot:
 * - `closed`, `follow_up`, `action_plan` → `closed`, `followUp`, `actionPlan`;
 * - `mapping` with an assessment that decided to close → `mapping.awaitingClosure`;
 * - `mapping` with all three track steps done → `mapping.assessing`;
 * - otherwise `mapping.tracks.<region>.open|done`, one per track, by its step's status.
 * The escalation level does not enter: escalating is a transition that keeps the state.
 */
export function highlightFor(view: Pick<CaseView, 'phase' | 'steps' | 'assessment'>): string[] {
  switch (view.phase) {
    case 'closed':
      return ['closed'];
    case 'follow_up':
      return ['followUp'];
    case 'action_plan':
      return ['actionPlan'];
    case 'mapping': {
      if (view.assessment?.decision === 'close') return ['mapping.awaitingClosure'];
      const done = (stepId: string) => view.steps.some((step) => step.stepId === stepId && step.status === 'done');
      if (TRACK_REGIONS.every(([, stepId]) => done(stepId))) return ['mapping.assessing'];
      return TRACK_REGIONS.map(([region, stepId]) => `mapping.tracks.${region}.${done(stepId) ? 'done' : 'open'}`);
    }
  }
}

// ---- Layout ------------------------------------------------------------------------------------

const FONT_SIZE = 14;
const SMALL_FONT_SIZE = 12;
const LINE = 18;
const SMALL_LINE = 16;
const PAD_X = 14;
const PAD_Y = 10;
const MARKER_TEXT = 'Her er forløbet nu';
const MARKER_LINE = `▶ ${MARKER_TEXT}`;
const STAY_GLYPH = '↻';
const START_SIZE = 14;

/**
 * A rough text width: there is no font engine here, so widths per character class, on the wide
 * side so that labels never overflow their boxes.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += 0.3;
    else if ('iljtfrI.,:;!|\'()[]'.includes(ch)) em += 0.34;
    else if ('mwMWæÆøØœ—'.includes(ch)) em += 0.9;
    else if ('↻▶'.includes(ch)) em += 1;
    else if (ch >= 'A' && ch <= 'Z') em += 0.72;
    else if (ch >= '0' && ch <= '9') em += 0.62;
    else em += 0.6;
  }
  return Math.ceil(em * fontSize * (bold ? 1.1 : 1));
}

export interface LaidOutNode extends ProcessNode {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Lines for the transitions that keep the state, e.g. `↻ Eskalering`. */
  stays: string[];
}

export interface LaidOutEdge extends ProcessEdge {
  points: { x: number; y: number }[];
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface ProcessLayout {
  graph: ProcessGraph;
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  /** The dots that point at each compound state's initial state, with their arrows. */
  starts: { x: number; y: number; size: number; points: { x: number; y: number }[] }[];
}

/** Header (compound) or body (atomic) height: title, the lines for staying transitions, the marker row. */
function textBlockHeight(stays: readonly string[]): number {
  return LINE + stays.length * SMALL_LINE + SMALL_LINE;
}

function isContainer(node: Pick<ProcessNode, 'kind'>): boolean {
  return node.kind === 'compound' || node.kind === 'parallel';
}

function textBlockWidth(node: ProcessNode, stays: readonly string[]): number {
  const widths = [
    textWidth(node.label, FONT_SIZE, isContainer(node)),
    textWidth(MARKER_LINE, SMALL_FONT_SIZE, true),
    ...stays.map((line) => textWidth(line, SMALL_FONT_SIZE)),
  ];
  return Math.max(...widths) + 2 * PAD_X;
}

const ROOT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  // Top to bottom: phases follow one another down the page, the three tracks sit side by side.
  'elk.direction': 'DOWN',
  // One layout across the hierarchy, so arrows can leave a phase and enter another.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeNode': '16',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

function startId(parentId: string): string {
  return `${parentId}#start`;
}

/** Lowest common ancestor of two nodes: where ELK expects the edge between them. */
function commonAncestor(byId: ReadonlyMap<string, ProcessNode>, a: string, b: string): string {
  const chain = (id: string) => {
    const ids: string[] = [];
    for (let at: string | null = id; at !== null; at = byId.get(at)?.parent ?? null) ids.push(at);
    return ids;
  };
  const ofB = new Set(chain(b));
  const ofA = chain(a);
  // An edge into or out of a container is held by the container's parent.
  return ofA.slice(1).find((id) => ofB.has(id) && id !== b) ?? ofA.at(-1) ?? a;
}

/** Lays the graph out with elkjs; edges that keep the state become lines inside the box. */
export async function layoutProcess(graph: ProcessGraph): Promise<ProcessLayout> {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const stays = new Map<string, string[]>();
  for (const edge of graph.edges.filter((candidate) => candidate.stays)) {
    const lines = stays.get(edge.source) ?? [];
    const line = `${STAY_GLYPH} ${edge.label}`;
    if (!lines.includes(line)) lines.push(line);
    stays.set(edge.source, lines);
  }
  const staysOf = (id: string): string[] => stays.get(id) ?? [];

  const elkNodes = new Map<string, ElkNode>();
  const toElk = (node: ProcessNode): ElkNode => {
    const text = staysOf(node.id);
    const children = graph.nodes.filter((child) => child.parent === node.id);
    let elk: ElkNode;
    if (children.length === 0) {
      // ELK does not honour a minimum size on nested containers, so their leaves are made wide
      // enough for the container's header instead.
      const parent = node.parent === null ? undefined : byId.get(node.parent);
      const headerWidth = parent ? textBlockWidth(parent, staysOf(parent.id)) - 2 * PAD_X : 0;
      elk = { id: node.id, width: Math.max(textBlockWidth(node, text), headerWidth), height: textBlockHeight(text) + 2 * PAD_Y };
    } else {
      const inner = children.map(toElk);
      if (node.kind === 'parallel') {
        // Position hints, read by the semi-interactive ordering set on the parallel state below.
        inner.forEach((region, index) => {
          region.layoutOptions = { ...region.layoutOptions, 'elk.position': `(${index * 1000}, ${index * 1000})` };
        });
      }
      const initial = node.kind === 'compound' ? children.find((child) => child.initial) : undefined;
      const edges: ElkExtendedEdge[] = [];
      if (initial) {
        inner.unshift({ id: startId(node.id), width: START_SIZE, height: START_SIZE });
        edges.push({ id: `${startId(node.id)}->`, sources: [startId(node.id)], targets: [initial.id] });
      }
      const top = PAD_Y + textBlockHeight(text) + 4;
      elk = {
        id: node.id,
        children: inner,
        edges,
        layoutOptions: {
          // Regions side by side in the machine's order (tracks A, B, C): ELK's model-order options
          // fail on nested graphs, semi-interactive ordering by position does not.
          ...(node.kind === 'parallel'
            ? { 'elk.separateConnectedComponents': 'false', 'elk.layered.crossingMinimization.semiInteractive': 'true' }
            : {}),
          'elk.padding': `[top=${top},left=${PAD_X},bottom=${PAD_X},right=${PAD_X}]`,
        },
      };
    }
    elkNodes.set(node.id, elk);
    return elk;
  };
  const root = graph.nodes.find((node) => node.parent === null);
  if (root === undefined) throw new Error('a process graph has a root');
  const rootElk = toElk(root);

  for (const edge of graph.edges.filter((candidate) => !candidate.stays)) {
    const container = elkNodes.get(commonAncestor(byId, edge.source, edge.target));
    const width = textWidth(edge.label, SMALL_FONT_SIZE) + 8;
    container?.edges?.push({
      id: edge.id,
      sources: [edge.source],
      targets: [edge.target],
      labels: [{ id: `${edge.id}#label`, text: edge.label, width, height: SMALL_LINE + 2 }],
    });
  }

  // The drawing sits inside a margin of its own; the outermost box is the root state.
  // Defaults, not root options: ELK reads some of them on every nested graph.
  const canvas: ElkNode = {
    id: '#canvas',
    children: [rootElk],
    layoutOptions: { ...ROOT_OPTIONS, 'elk.padding': '[top=8,left=8,bottom=8,right=8]' },
  };
  const laid = await new ELK({ defaultLayoutOptions: ROOT_OPTIONS }).layout(canvas);

  const nodes: LaidOutNode[] = [];
  const startBoxes: { id: string; x: number; y: number; size: number }[] = [];
  const startArrows = new Map<string, { x: number; y: number }[]>();
  const edges: LaidOutEdge[] = [];
  const edgesById = new Map(graph.edges.map((edge) => [edge.id, edge]));
  const collect = (elk: ElkNode) => {
    const node = byId.get(elk.id);
    const box = { x: elk.x ?? 0, y: elk.y ?? 0, width: elk.width ?? 0, height: elk.height ?? 0 };
    if (node) nodes.push({ ...node, ...box, stays: staysOf(node.id) });
    else startBoxes.push({ id: elk.id, x: box.x, y: box.y, size: box.width });
    for (const elkEdge of elk.edges ?? []) {
      const points = (elkEdge.sections ?? []).flatMap((section) => [
        section.startPoint,
        ...(section.bendPoints ?? []),
        section.endPoint,
      ]);
      const label = elkEdge.labels?.[0];
      const edge = edgesById.get(elkEdge.id);
      const labelBox =
        label === undefined
          ? undefined
          : { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 };
      if (edge) edges.push({ ...edge, points, ...(labelBox ? { labelBox } : {}) });
      else startArrows.set(elkEdge.sources[0] ?? '', points);
    }
    for (const child of elk.children ?? []) collect(child);
  };
  for (const child of laid.children ?? []) collect(child);
  const starts = startBoxes.map(({ id, ...start }) => ({ ...start, points: startArrows.get(id) ?? [] }));
  return { graph, width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes, edges, starts };
}

let caseLayout: Promise<ProcessLayout> | undefined;

/** The case machine never changes at run time, so it is laid out once; highlighting is per render. */
function caseProcessLayout(): Promise<ProcessLayout> {
  caseLayout ??= layoutProcess(processGraph(caseMachine)).catch((error: unknown) => {
    // A failed layout is not kept: the next request tries again.
    caseLayout = undefined;
    throw error;
  });
  return caseLayout;
}

// ---- SVG ---------------------------------------------------------------------------------------

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** Short, stable numbers: one decimal is finer than a pixel matters. */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const TITLE = 'Forløbspakkens faser';
const IDS = { title: 'forloebspakke-titel', desc: 'forloebspakke-beskrivelse', arrow: 'forloebspakke-pil' };

const STYLE = {
  ink: '#1f2933',
  line: '#3e4c59',
  fill: { atomic: '#ffffff', final: '#ffffff', compound: '#f3f5f7', parallel: '#e8edf2' },
  region: '#f8fafc',
  highlightFill: '#fff1c2',
  highlightStroke: '#7a4b00',
};

/** The words a screen reader gets: phases, arrows, and where the case is now. */
function description(layout: ProcessLayout, highlighted: readonly LaidOutNode[]): string {
  const byId = new Map(layout.graph.nodes.map((node) => [node.id, node]));
  const counts = new Map<string, number>();
  for (const node of layout.graph.nodes) counts.set(node.label, (counts.get(node.label) ?? 0) + 1);
  // "I gang" appears once per track, so a repeated label is said with its parent's.
  const nameOf = (id: string): string => {
    const node = byId.get(id);
    if (node === undefined) return id;
    const parent = node.parent === null ? undefined : byId.get(node.parent);
    return (counts.get(node.label) ?? 0) > 1 && parent ? `${parent.label}, ${node.label}` : node.label;
  };
  const moves = layout.graph.edges
    .filter((edge) => !edge.stays)
    .map((edge) => `${nameOf(edge.source)} → ${nameOf(edge.target)} (${edge.label})`);
  const stays = layout.nodes
    .filter((node) => node.stays.length > 0)
    .map((node) => `${nameOf(node.id)}: ${node.stays.map((line) => line.replace(`${STAY_GLYPH} `, '')).join(', ')}`);
  const parts = [
    'Forløbspakkens faser og overgangene mellem dem, tegnet ud fra sagens tilstandsmaskine.',
    `Overgange: ${moves.join('; ')}.`,
    `Hændelser der ikke skifter fase (markeret ${STAY_GLYPH}): ${stays.join('; ')}.`,
  ];
  if (highlighted.length > 0) parts.push(`${MARKER_TEXT}: ${highlighted.map((node) => nameOf(node.id)).join('; ')}.`);
  return parts.join(' ');
}

type Attributes = Readonly<Record<string, string | number | undefined>>;

/** One element; every attribute value and the text content are escaped, numbers rounded. */
function element(name: string, attributes: Attributes, content?: string): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`)
    .join('');
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

function text(attributes: Attributes, words: string): string {
  return element('text', attributes, escapeXml(words));
}

function renderNode(node: LaidOutNode, highlighted: boolean, region: boolean): string {
  const container = isContainer(node);
  const stroke = highlighted ? STYLE.highlightStroke : STYLE.line;
  const radius = container ? 12 : 10;
  const inner: string[] = [
    element('rect', {
      x: node.x,
      y: node.y,
      width: node.width,
      height: node.height,
      rx: radius,
      fill: highlighted ? STYLE.highlightFill : region ? STYLE.region : STYLE.fill[node.kind],
      stroke,
      'stroke-width': highlighted ? 3.5 : container ? 1.25 : 1.5,
      'stroke-dasharray': node.kind === 'parallel' ? '6 4' : undefined,
    }),
  ];
  if (node.kind === 'final') {
    // A double border marks an end state, as in statechart notation.
    inner.push(
      element('rect', {
        x: node.x + 4,
        y: node.y + 4,
        width: node.width - 8,
        height: node.height - 8,
        rx: radius - 3,
        fill: 'none',
        stroke,
        'stroke-width': 1,
      }),
    );
  }
  // A leaf's lines sit in the middle of its box; a container's at the top, as its header.
  const lines = LINE + node.stays.length * SMALL_LINE + (highlighted ? SMALL_LINE : 0);
  let baseline = (container ? node.y + PAD_Y : node.y + (node.height - lines) / 2) + FONT_SIZE;
  const place = container
    ? { x: node.x + PAD_X }
    : { x: node.x + node.width / 2, 'text-anchor': 'middle' };
  inner.push(text({ ...place, y: baseline, 'font-weight': container ? 600 : undefined, fill: STYLE.ink }, node.label));
  for (const line of node.stays) {
    baseline += SMALL_LINE;
    inner.push(text({ ...place, y: baseline, 'font-size': SMALL_FONT_SIZE, fill: STYLE.ink }, line));
  }
  if (highlighted) {
    baseline += SMALL_LINE;
    const marker = { ...place, y: baseline, 'font-size': SMALL_FONT_SIZE, 'font-weight': 700, fill: STYLE.highlightStroke };
    inner.push(text(marker, MARKER_LINE));
  }
  const group = {
    class: `state state-${node.kind}`,
    'data-state': node.id,
    'data-current': highlighted ? 'true' : undefined,
  };
  return element('g', group, `\n${inner.join('\n')}\n`);
}

function arrow(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  const d = `M${num(first.x)} ${num(first.y)}${rest.map((p) => ` L${num(p.x)} ${num(p.y)}`).join('')}`;
  return element('path', { d, fill: 'none', stroke: STYLE.line, 'stroke-width': 1.5, 'marker-end': `url(#${IDS.arrow})` });
}

function renderEdge(edge: LaidOutEdge): string {
  const inner = [arrow(edge.points)];
  if (edge.labelBox && edge.label) {
    const box = edge.labelBox;
    inner.push(
      element('rect', { ...box, rx: 3, fill: '#ffffff', 'fill-opacity': 0.92 }),
      text(
        {
          x: box.x + box.width / 2,
          y: box.y + box.height / 2 + SMALL_FONT_SIZE * 0.35,
          'text-anchor': 'middle',
          'font-size': SMALL_FONT_SIZE,
          fill: STYLE.ink,
        },
        edge.label,
      ),
    );
  }
  return element('g', { class: 'transition', 'data-event': edge.event }, `\n${inner.join('\n')}\n`);
}

function renderStart(start: ProcessLayout['starts'][number]): string {
  const r = start.size / 2;
  const dot = element('circle', { cx: start.x + r, cy: start.y + r, r, fill: STYLE.line });
  return element('g', { class: 'start' }, `\n${dot}\n${arrow(start.points)}\n`);
}

/** Renders a laid-out process as a standalone SVG; `highlight` holds state ids or value paths. */
export function renderProcessSvg(layout: ProcessLayout, options: { highlight?: readonly string[] } = {}): string {
  const machinePrefix = `${layout.graph.id}.`;
  const wanted = new Set(
    (options.highlight ?? []).map((id) => {
      const plain = id.startsWith('#') ? id.slice(1) : id;
      return plain.startsWith(machinePrefix) ? plain.slice(machinePrefix.length) : plain;
    }),
  );
  const highlighted = layout.nodes.filter((node) => wanted.has(node.id));
  const byId = new Map(layout.nodes.map((node) => [node.id, node]));
  const isRegion = (node: LaidOutNode) => node.parent !== null && byId.get(node.parent)?.kind === 'parallel';
  const { width, height } = layout;
  const arrowHead = element('path', { d: 'M0 0 L10 5 L0 10 z', fill: STYLE.line });
  const marker = element(
    'marker',
    {
      id: IDS.arrow,
      viewBox: '0 0 10 10',
      refX: 10,
      refY: 5,
      markerWidth: 8,
      markerHeight: 8,
      markerUnits: 'userSpaceOnUse',
      orient: 'auto-start-reverse',
    },
    arrowHead,
  );
  const body = [
    element('title', { id: IDS.title }, escapeXml(TITLE)),
    element('desc', { id: IDS.desc }, escapeXml(description(layout, highlighted))),
    element('defs', {}, marker),
    // Containers first, so that the states, dots and arrows inside them are drawn on top.
    ...layout.nodes.filter(isContainer).map((node) => renderNode(node, wanted.has(node.id), isRegion(node))),
    ...layout.nodes.filter((node) => !isContainer(node)).map((node) => renderNode(node, wanted.has(node.id), false)),
    ...layout.starts.map(renderStart),
    ...layout.edges.map(renderEdge),
  ];
  const svg = {
    xmlns: 'http://www.w3.org/2000/svg',
    role: 'img',
    'aria-labelledby': `${IDS.title} ${IDS.desc}`,
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    style: `max-width:${width}px;height:auto`,
    'font-family': FONT_FAMILY,
    'font-size': FONT_SIZE,
  };
  return `${element('svg', svg, `\n${body.join('\n')}\n`)}\n`;
}

/** The case package as an SVG, with the states in `highlight` marked as where the case is now. */
export async function processDiagramSvg(options: { highlight?: readonly string[] } = {}): Promise<string> {
  return renderProcessSvg(await caseProcessLayout(), options);
}
