import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderScenarioJsonSchema } from '../../src/scenario/json-schema.ts';

describe('docs/scenario.schema.json', () => {
  it('matches the scenario schema (regenerate with `npx callrec schema --write docs/scenario.schema.json`)', () => {
    const onDisk = readFileSync(
      join(import.meta.dirname, '..', '..', 'docs', 'scenario.schema.json'),
      'utf8',
    );
    expect(onDisk).toBe(renderScenarioJsonSchema());
  });
});
