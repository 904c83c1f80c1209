import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeScenario } from '../../src/scenario/execute-scenario.ts';
import { parseScenarioText } from '../../src/scenario/load-scenario.ts';

const FILE = join(import.meta.dirname, '..', '..', 'scenarios', 'recorder', 'down-end-call.yaml');

describe('a call ended by the recorder failure behaviour', () => {
  it('shows the failure announcement before "call ended", the order a listener hears them', () => {
    const scenario = parseScenarioText(readFileSync(FILE, 'utf8'), FILE);
    const call = executeScenario(scenario).calls.find((c) => c.spec.id === 'cut');
    const at3s = (call?.run.log ?? [])
      .filter((e) => e.atMs === 3000)
      .map((e) =>
        e.type === 'announcement'
          ? `announcement ${e.kind}`
          : e.type === 'call'
            ? `call ${e.phase}`
            : e.type === 'recording'
              ? `recording ${e.state}`
              : e.type,
      );
    expect(at3s.indexOf('announcement failure')).toBeGreaterThanOrEqual(0);
    expect(at3s.indexOf('announcement failure')).toBeLessThan(at3s.indexOf('call ended'));
    expect(at3s.at(-1)).toBe('call ended');
  });
});
