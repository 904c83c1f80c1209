/**
 * The call machine for readers: one Mermaid diagram per region with readable state names (the titles of
 * machines/call-state-docs.ts), the table of states with their description, tags, the API
 * `recordingState` and the S31 indicator they report (computed by the selectors, not written down), and
 * the glossary of guards with where each is used.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { indicatorOf, recordingStateOfValue } from '../../machines/call-selectors.ts';
import { GUARD_DOCS, STATE_DOCS } from '../../machines/call-state-docs.ts';
import { listStateNodes, listTransitions, type TransitionInfo } from './machine-graph.ts';

const pathOf = (node: AnyStateNode) => node.path.join('.');
const titleOf = (path: string) => STATE_DOCS[path]?.title ?? (path.split('.').at(-1) || 'call');

/** The regions drawn, each with the state whose children it shows. */
export const DIAGRAM_REGIONS = [
  { path: '', heading: 'The call: setup, live, ended' },
  { path: 'live.phase', heading: 'Region `live.phase`: connected and held' },
  { path: 'live.recorder', heading: 'Region `live.recorder`: the recorder link' },
  {
    path: 'live.recording',
    heading: 'Region `live.recording`: what is recorded (with the repeat tone inside `recording`)',
  },
] as const;

function nodeAt(machine: AnyStateMachine, path: string): AnyStateNode {
  let node: AnyStateNode = machine.root;
  for (const key of path === '' ? [] : path.split('.')) node = node.states[key] as AnyStateNode;
  return node;
}

/** One region as a Mermaid state diagram: composite states nested, except other parallel regions. */
export function regionMermaid(machine: AnyStateMachine, regionPath: string): string {
  const region = nodeAt(machine, regionPath);
  const inside = (path: string) =>
    regionPath === '' || path === regionPath || path.startsWith(`${regionPath}.`);
  const id = (path: string) =>
    path === regionPath
      ? 'region'
      : path.slice(regionPath === '' ? 0 : regionPath.length + 1).replace(/\./g, '_');
  const lines = ['stateDiagram-v2'];
  const drawn = new Set<string>();
  const render = (node: AnyStateNode, indent: string) => {
    const initial = node.initial?.target?.[0];
    if (initial) lines.push(`${indent}[*] --> ${id(pathOf(initial))}`);
    for (const child of Object.values(node.states)) {
      const path = pathOf(child);
      drawn.add(path);
      // The top-level diagram shows `live` as one box; its regions have diagrams of their own.
      const nested =
        Object.keys(child.states).length > 0 && !(regionPath === '' && child.type === 'parallel');
      if (nested) {
        lines.push(`${indent}state "${titleOf(path)}" as ${id(path)} {`);
        render(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${titleOf(path)}" as ${id(path)}`);
      }
      if (child.type === 'final') lines.push(`${indent}${id(path)} --> [*]`);
    }
  };
  render(region, '  ');
  for (const t of listTransitions(machine)) {
    const source = t.sourceId.replace(/^call\.?/, '');
    if (!drawn.has(source) && !(regionPath === '' && source === '')) continue;
    for (const targetId of t.targetIds) {
      const target = targetId.replace(/^call\.?/, '');
      if (!drawn.has(target) || !inside(target)) continue;
      lines.push(`  ${id(source)} --> ${id(target)} : ${label(t)}`);
    }
  }
  return lines.join('\n');
}

function label(t: TransitionInfo): string {
  return t.guard ? `${t.event} [${t.guard}]` : t.event;
}

const RECORDING_REGION = 'live.recording';

export interface StateRow {
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** What the Webex API reports in this state (recording region only). */
  readonly recordingState?: string;
  readonly indicator?: string;
}

/** Every state with its docs, and for the recording region what the API and the phone show there. */
export function stateRows(machine: AnyStateMachine): StateRow[] {
  return listStateNodes(machine)
    .filter((node) => node.path.length > 0)
    .map((node) => {
      const path = pathOf(node);
      const doc = STATE_DOCS[path];
      const row: StateRow = {
        path,
        title: titleOf(path),
        description: doc?.description ?? '',
        tags: node.tags,
      };
      if (node.path[0] === 'setup') return { ...row, ...apiOf('setup') };
      if (node.path.length < 3 || !path.startsWith(`${RECORDING_REGION}.`)) return row;
      return {
        ...row,
        ...apiOf({ live: { phase: 'connected', recorder: 'up', recording: node.path[2] as string } }),
      };
    });
}

function apiOf(value: Parameters<typeof recordingStateOfValue>[0]) {
  const plain = recordingStateOfValue(value, {
    provisional: false,
    keepRequested: false,
    finalRecordingState: 'none',
  });
  const provisional = recordingStateOfValue(value, {
    provisional: true,
    keepRequested: false,
    finalRecordingState: 'none',
  });
  const recordingState = plain === provisional ? plain : `${plain} (${provisional} while provisional)`;
  return { recordingState, indicator: indicatorOf(plain, false) };
}

export interface GuardRow {
  readonly guard: string;
  readonly meaning: string;
  readonly usedOn: readonly string[];
}

export function guardRows(machine: AnyStateMachine): GuardRow[] {
  const used = new Map<string, Set<string>>();
  for (const t of listTransitions(machine)) {
    if (t.guard === null) continue;
    const where = `${titleOf(t.sourceId.replace(/^call\.?/, ''))} · ${t.event}`;
    used.set(t.guard, (used.get(t.guard) ?? new Set()).add(where));
  }
  return [...used.keys()].sort().map((guard) => ({
    guard,
    meaning: GUARD_DOCS[guard] ?? '',
    usedOn: [...(used.get(guard) ?? [])],
  }));
}
