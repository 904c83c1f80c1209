/**
 * The call machine as a graph: every state and every transition (event, guard, target), for the
 * transition-coverage check and the generated diagram in docs/call-machine.md.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface TransitionInfo {
  /** Stable key: `source#event#index`. */
  readonly key: string;
  readonly sourceId: string;
  readonly event: string;
  readonly guard: string | null;
  readonly targetIds: readonly string[];
  readonly definition: unknown;
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  if (typeof guard === 'function') return guard.name || 'guard';
  return 'guard';
}

function readableEvent(eventType: string): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return after ? `after ${after[1]}` : eventType;
}

export function listStateNodes(machine: AnyStateMachine): AnyStateNode[] {
  const out: AnyStateNode[] = [];
  const walk = (node: AnyStateNode) => {
    out.push(node);
    for (const child of Object.values(node.states)) walk(child);
  };
  walk(machine.root);
  return out;
}

export function listTransitions(machine: AnyStateMachine): TransitionInfo[] {
  const out: TransitionInfo[] = [];
  for (const node of listStateNodes(machine)) {
    for (const [eventType, definitions] of node.transitions) {
      definitions.forEach((definition, index) => {
        out.push({
          key: `${node.id}#${readableEvent(eventType)}#${index}`,
          sourceId: node.id,
          event: readableEvent(eventType),
          guard: guardName(definition.guard),
          targetIds: (definition.target ?? []).map((t) => t.id),
          definition,
        });
      });
    }
    (node.always ?? []).forEach((definition, index) => {
      out.push({
        key: `${node.id}#always#${index}`,
        sourceId: node.id,
        event: 'always',
        guard: guardName(definition.guard),
        targetIds: (definition.target ?? []).map((t) => t.id),
        definition,
      });
    });
  }
  return out;
}

/** A Mermaid state diagram of the machine, generated so the picture never drifts from the code. */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  const name = (id: string) => id.replace(/^call\.?/, '').replace(/\./g, '_') || 'call';
  const render = (node: AnyStateNode, indent: string) => {
    const children = Object.values(node.states);
    if (children.length === 0) return;
    const initial = node.initial?.target?.[0];
    if (node.type !== 'parallel' && initial) lines.push(`${indent}[*] --> ${name(initial.id)}`);
    children.forEach((child, i) => {
      if (Object.keys(child.states).length > 0) {
        lines.push(`${indent}state ${name(child.id)} {`);
        render(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${child.key}" as ${name(child.id)}`);
      }
      if (node.type === 'parallel' && i < children.length - 1) lines.push(`${indent}--`);
    });
  };
  render(machine.root, '  ');
  for (const t of listTransitions(machine)) {
    for (const target of t.targetIds) {
      const label = t.guard ? `${t.event} [${t.guard}]` : t.event;
      lines.push(`  ${name(t.sourceId)} --> ${name(target)} : ${label}`);
    }
  }
  for (const node of listStateNodes(machine)) {
    if (node.type === 'final') lines.push(`  ${name(node.id)} --> [*]`);
  }
  return lines.join('\n');
}
