/**
 * The process picture is derived from the case machine: these tests walk the machine's raw config
 * on their own and check that the graph and the SVG say the same, that the SVG is well-formed and
 * accessible, and that the highlight derived from a case view matches the machine's real state.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { caseMachine, toCaseView, type CaseSnapshot } from '../../src/machines/case';
import {
  escapeXml,
  highlightFor,
  layoutProcess,
  processDiagramSvg,
  processGraph,
  renderProcessSvg,
  statePathsOf,
  textWidth,
} from '../../src/ui/processDiagram';
import {
  accept,
  at,
  awaitingClosure,
  closureCommand,
  complete,
  inActionPlan,
  inFollowUp,
  mappingDone,
  open,
  WED_OPENED,
} from '../machines/support';

// ---- An independent walk of the machine's config ----------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ConfigState {
  path: string;
  events: string[];
}

/** Every state of the raw config as a dotted path, with the events its `on`/`onDone` react to. */
function walkConfig(config: unknown, machineId: string, path: string[] = []): ConfigState[] {
  if (!isRecord(config)) return [];
  const id = path.length === 0 ? machineId : path.join('.');
  const events = isRecord(config.on) ? Object.keys(config.on) : [];
  if (config.onDone !== undefined) events.push(`xstate.done.state.${[machineId, ...path].join('.')}`);
  const children = isRecord(config.states) ? Object.entries(config.states) : [];
  return [{ path: id, events }, ...children.flatMap(([key, child]) => walkConfig(child, machineId, [...path, key]))];
}

const graph = processGraph(caseMachine);
const configStates = walkConfig(caseMachine.config, caseMachine.id);

// ---- A small XML well-formedness check (no parser dependency) ---------------------------------

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})="([^"<]*)"`, 'g');
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>$`);

/** Throws unless `xml` is one well-formed element: balanced tags, clean attributes, escaped text. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  let roots = 0;
  const checkText = (text: string) => {
    if (/[<>]/.test(text)) throw new Error(`raw < or > in text: ${text.slice(0, 60)}`);
    const stray = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
    if (stray) throw new Error(`unescaped & in: ${text.slice(Math.max(0, stray.index - 20), stray.index + 20)}`);
  };
  let last = 0;
  for (const match of xml.matchAll(/<[^<>]*>/g)) {
    const between = xml.slice(last, match.index);
    if (stack.length === 0 && between.trim() !== '') throw new Error(`text outside the root: ${between}`);
    checkText(between);
    last = match.index + match[0].length;
    const tag = TAG.exec(match[0]);
    if (tag === null) throw new Error(`malformed tag: ${match[0]}`);
    const [, closing, name = '', attributes = '', selfClosing] = tag;
    const seen = new Set<string>();
    for (const [, attribute = '', value = ''] of attributes.matchAll(ATTRIBUTE)) {
      if (seen.has(attribute)) throw new Error(`duplicate attribute ${attribute} in ${match[0]}`);
      seen.add(attribute);
      checkText(value);
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots += 1;
      stack.push(name);
    } else if (stack.length === 0) {
      roots += 1;
    }
  }
  if (xml.slice(last).trim() !== '') throw new Error('text after the root');
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/** The `<g data-state=…>` groups of the SVG, by state id. */
function stateGroups(svg: string): Map<string, string> {
  const groups = new Map<string, string>();
  for (const match of svg.matchAll(/<g class="state[^"]*" data-state="([^"]+)"[^>]*>[\s\S]*?<\/g>/g)) {
    groups.set(match[1] ?? '', match[0]);
  }
  return groups;
}

const MARKER = 'Her er forløbet nu';

// ---- The graph ----------------------------------------------------------------------------------

describe('processGraph', () => {
  it('has a node for every state of the machine config, and no other', () => {
    expect(new Set(graph.nodes.map((node) => node.id))).toEqual(new Set(configStates.map((state) => state.path)));
    expect(graph.nodes).toHaveLength(configStates.length);
  });

  it('has an edge for every transition event of the machine config, from the state that declares it', () => {
    const expected = configStates.flatMap((state) => state.events.map((event) => `${state.path} ${event}`));
    const actual = new Set(graph.edges.map((edge) => `${edge.source} ${edge.event}`));
    expect(expected.length).toBeGreaterThan(0);
    for (const transition of expected) expect(actual, transition).toContain(transition);
    expect(actual).toEqual(new Set(expected));
  });

  it('knows the kinds, the initial states and where each transition leads', () => {
    const kind = (id: string) => graph.nodes.find((node) => node.id === id)?.kind;
    expect(kind('mapping')).toBe('compound');
    expect(kind('mapping.tracks')).toBe('parallel');
    expect(kind('mapping.tracks.classCommunity.open')).toBe('atomic');
    expect(kind('mapping.tracks.classCommunity.done')).toBe('final');
    expect(kind('closed')).toBe('final');
    expect(graph.nodes.filter((node) => node.initial).map((node) => node.id)).toEqual([
      'mapping',
      'mapping.tracks',
      'mapping.tracks.classCommunity.open',
      'mapping.tracks.pupilConversation.open',
      'mapping.tracks.parentConversation.open',
    ]);
    const moves = graph.edges.filter((edge) => !edge.stays).map((edge) => `${edge.source} → ${edge.target}: ${edge.label}`);
    expect(moves).toContain('mapping.tracks → mapping.assessing: Alle spor udført');
    expect(moves).toContain('mapping.assessing → actionPlan: Vurdering: handleplan');
    expect(moves).toContain('mapping.assessing → mapping.awaitingClosure: Vurdering: ellers');
    expect(moves).toContain('followUp → closed: Afslutning');
    const escalations = graph.edges.filter((edge) => edge.event === 'escalate');
    expect(escalations.every((edge) => edge.stays && edge.source === edge.target)).toBe(true);
    expect(escalations.map((edge) => edge.guard)).toEqual(['acceptable', 'acceptable', 'acceptable']);
    expect(graph.edges.find((edge) => edge.target === 'actionPlan')?.guard).toBe('and(acceptable, decidesActionPlan)');
  });

  it('labels every state and every event of the case machine in Danish', () => {
    expect(graph.nodes.filter((node) => !node.translated).map((node) => node.key)).toEqual([]);
    expect(graph.edges.filter((edge) => !edge.translated).map((edge) => edge.event)).toEqual([]);
    const label = (id: string) => graph.nodes.find((node) => node.id === id)?.label;
    expect(label('mapping')).toBe('Kortlægning (uge 1–3)');
    expect(label('actionPlan')).toBe('Handleplan (uge 4)');
    expect(label('followUp')).toContain('hver 8.–12. uge');
    expect(label('closed')).toBe('Afsluttet');
    expect(graph.edges.find((edge) => edge.event === 'escalate')?.label).toBe('Eskalering');
  });

  it('shows a state without a Danish label under its key, so a new state is never hidden', () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'mapping',
      states: { mapping: { on: { nyHaendelse: 'nyTilstand' } }, nyTilstand: { type: 'final' } },
    });
    const demo = processGraph(machine);
    expect(demo.nodes.find((node) => node.id === 'nyTilstand')).toMatchObject({ label: 'nyTilstand', translated: false, kind: 'final' });
    expect(demo.edges).toEqual([
      expect.objectContaining({ source: 'mapping', target: 'nyTilstand', event: 'nyHaendelse', label: 'nyHaendelse', translated: false }),
    ]);
  });
});

// ---- State values and case views ---------------------------------------------------------------

describe('statePathsOf and highlightFor', () => {
  it('flattens state values into dotted leaf paths', () => {
    expect(statePathsOf('closed')).toEqual(['closed']);
    expect(statePathsOf({ mapping: 'assessing' })).toEqual(['mapping.assessing']);
    expect(statePathsOf({ mapping: { tracks: { classCommunity: 'done', pupilConversation: 'open' } } })).toEqual([
      'mapping.tracks.classCommunity.done',
      'mapping.tracks.pupilConversation.open',
    ]);
    expect(statePathsOf(undefined)).toEqual([]);
    expect(statePathsOf({})).toEqual([]);
  });

  const closed = (): CaseSnapshot => accept(inFollowUp(), closureCommand('2027-01-04')).snapshot;
  const oneTrackDone = (): CaseSnapshot => accept(open(WED_OPENED).snapshot, complete('pupil_conversation', '2026-11-20')).snapshot;
  const cases: [string, () => CaseSnapshot][] = [
    ['just opened', () => open(WED_OPENED).snapshot],
    ['one track done', oneTrackDone],
    ['mapping done', mappingDone],
    ['assessment decided to close', awaitingClosure],
    ['in the action plan', inActionPlan],
    ['in follow-up', inFollowUp],
    ['escalated in follow-up', () => accept(inFollowUp(), { type: 'escalate', reason: 'Fraværet stiger', at: at('2026-12-17') }).snapshot],
    ['closed', closed],
  ];

  it.each(cases)('derives the machine state from the case view (%s)', (_name, make) => {
    const snapshot = make();
    const fromView = highlightFor(toCaseView(snapshot.context));
    expect(fromView).toEqual(statePathsOf(snapshot.value));
    const ids = new Set(graph.nodes.map((node) => node.id));
    for (const id of fromView) expect(ids, id).toContain(id);
  });
});

// ---- The SVG ------------------------------------------------------------------------------------

describe('processDiagramSvg', () => {
  it('is well-formed, accessible XML with a Danish title and description', async () => {
    const svg = await processDiagramSvg({ highlight: ['mapping.assessing'] });
    expect(() => assertWellFormed(svg)).not.toThrow();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img" aria-labelledby="([\w-]+) ([\w-]+)"/);
    const [, titleId, descId] = /aria-labelledby="([\w-]+) ([\w-]+)"/.exec(svg) ?? [];
    expect(svg).toContain(`<title id="${titleId}">Forløbspakkens faser</title>`);
    expect(svg).toMatch(new RegExp(`<desc id="${descId}">Forløbspakkens faser og overgangene[^<]+</desc>`));
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+" width="100%"/);
    const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(svg).toContain('marker-end="url(#forloebspakke-pil)"');
  });

  it('draws every state and every transition of the machine', async () => {
    const svg = await processDiagramSvg();
    expect([...stateGroups(svg).keys()].sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    for (const node of graph.nodes) expect(svg).toContain(`>${escapeXml(node.label)}</text>`);
    const drawnEvents = new Set([...svg.matchAll(/<g class="transition" data-event="([^"]+)"/g)].map((m) => m[1]));
    for (const edge of graph.edges) {
      if (edge.stays) expect(svg).toContain(`↻ ${escapeXml(edge.label)}`);
      else expect(drawnEvents).toContain(escapeXml(edge.event));
    }
  });

  it('marks the current states with a border, a fill and words, and no other state', async () => {
    const highlight = ['mapping.tracks.classCommunity.done', 'case.mapping.tracks.pupilConversation.open'];
    const svg = await processDiagramSvg({ highlight });
    const groups = stateGroups(svg);
    const marked = [...groups].filter(([, group]) => group.includes(`▶ ${MARKER}`)).map(([id]) => id);
    expect(marked.sort()).toEqual(['mapping.tracks.classCommunity.done', 'mapping.tracks.pupilConversation.open']);
    for (const [id, group] of groups) {
      const current = marked.includes(id);
      expect(group.includes('data-current="true"'), id).toBe(current);
      expect(group.includes('stroke-width="3.5"'), id).toBe(current);
    }
    expect(svg).toContain(`${MARKER}: Spor A: Klassefællesskabet (uge 3), Udført; Spor B: Samtale med eleven (uge 2), I gang.</desc>`);

    const plain = await processDiagramSvg();
    expect(plain).not.toContain(MARKER);
    expect(plain).not.toContain('data-current');
  });

  it('is deterministic, whether laid out anew or taken from the cache', async () => {
    const options = { highlight: ['followUp'] };
    const first = await processDiagramSvg(options);
    expect(await processDiagramSvg(options)).toBe(first);
    expect(renderProcessSvg(await layoutProcess(processGraph(caseMachine)), options)).toBe(first);
  });

  it('lays the picture out without overlaps and with room for every text', async () => {
    const layout = await layoutProcess(processGraph(caseMachine));
    type Box = { x: number; y: number; width: number; height: number };
    const overlap = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const leaves = layout.nodes.filter((node) => node.kind === 'atomic' || node.kind === 'final');
    const labels = layout.edges.flatMap((edge) => (edge.labelBox ? [{ id: edge.id, ...edge.labelBox }] : []));
    expect(labels).toHaveLength(layout.edges.length);
    const boxes: (Box & { id: string })[] = [...leaves, ...labels];
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(overlap(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
    }
    for (const node of layout.nodes) {
      const container = node.kind === 'compound' || node.kind === 'parallel';
      expect(node.width, node.id).toBeGreaterThanOrEqual(textWidth(node.label, 14, container) + 2 * 14);
      const parent = layout.nodes.find((candidate) => candidate.id === node.parent);
      if (parent) {
        expect(node.x, node.id).toBeGreaterThanOrEqual(parent.x);
        expect(node.x + node.width, node.id).toBeLessThanOrEqual(parent.x + parent.width);
        expect(node.y + node.height, node.id).toBeLessThanOrEqual(parent.y + parent.height);
      }
    }
    expect(layout.width).toBeLessThan(1400);
  });
});

describe('the well-formedness check itself', () => {
  it.each([
    ['<svg><g></svg>'],
    ['<svg><g></g>'],
    ['<svg>a & b</svg>'],
    ['<svg>a < b</svg>'],
    ['<svg a="1" a="2"/>'],
    ['<svg x="<"/>'],
    ['<svg/><svg/>'],
    ['<svg><g></h></svg>'],
  ])('rejects %s', (xml) => {
    expect(() => assertWellFormed(xml)).toThrow();
  });

  it('accepts a small good document', () => {
    expect(() => assertWellFormed('<svg a="1"><g><text>Tom &amp; Jerry</text><path d="M0 0"/></g></svg>\n')).not.toThrow();
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials, & first', () => {
    expect(escapeXml(`Tom & Jerry <b>"hej" 'du'</b>`)).toBe('Tom &amp; Jerry &lt;b&gt;&quot;hej&quot; &apos;du&apos;&lt;/b&gt;');
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
    expect(escapeXml('Kortlægning (uge 1–3)')).toBe('Kortlægning (uge 1–3)');
  });

  it('keeps a label with specials well-formed in the SVG', async () => {
    const machine = createMachine({ id: 'demo', initial: 'a<b', states: { 'a<b': { on: { 'x&y': 'c"d' } }, 'c"d': {} } });
    const svg = renderProcessSvg(await layoutProcess(processGraph(machine)), { highlight: ['a<b'] });
    expect(() => assertWellFormed(svg)).not.toThrow();
    expect(svg).toContain('>a&lt;b</text>');
    expect(svg).toContain('data-event="x&amp;y"');
    expect(svg).toContain(MARKER);
  });
});
