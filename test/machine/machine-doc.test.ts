import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCallMachineDoc } from '../../src/call/machine-doc.ts';

describe('docs/call-machine.md', () => {
  it('matches the machine (regenerate with `npx callrec machine --write-docs docs/call-machine.md`)', () => {
    const onDisk = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'call-machine.md'), 'utf8');
    expect(onDisk).toBe(renderCallMachineDoc());
  });
});
