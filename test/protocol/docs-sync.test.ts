/** docs/sink-protocol.md documents every SINK_ERR code with its close or HTTP status, and every message type. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES, serverMessageSchema } from '../../src/protocol/messages.ts';
import { SINK_ERROR_POLICIES } from '../../src/protocol/sink-errors.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'sink-protocol.md'), 'utf8');
const rowOf = (code: string) => doc.split('\n').find((line) => line.startsWith(`| \`${code}\``));

describe('docs/sink-protocol.md', () => {
  it.each(Object.entries(SINK_ERROR_POLICIES))('documents %s with its status', (code, policy) => {
    const row = rowOf(code);
    expect(row, `no table row for ${code}`).toBeDefined();
    if (policy.status !== 0) expect(row).toContain(`**${policy.status}**`);
  });

  it('lists every client and server message type', () => {
    const serverTypes = serverMessageSchema.options.map((o) => o.shape.type.value);
    for (const type of [...CLIENT_MESSAGE_TYPES, ...serverTypes]) {
      expect(doc).toMatch(new RegExp(`^\\| \`${type}\` +\\|`, 'm'));
    }
  });
});
