/**
 * The descriptions the served API keeps are the published ones: each carries its provenance, and the one
 * overlay applied on load changes nothing but the `record` enums (adding "On Demand").
 */
import { describe, expect, it } from 'vitest';
import {
  applyOverlay,
  OVERLAY_RECORD_MODES,
  PUBLISHED_FILES,
  readDescription,
} from '../../src/webex/contract.ts';

describe('the published Webex descriptions', () => {
  it.each(PUBLISHED_FILES)('%s keeps its provenance and is only overlaid where documented', (file) => {
    const raw = readDescription(file);
    expect(raw.info['x-provenance']).toMatch(/Webex/);
    const overlaid = applyOverlay(file, readDescription(file));
    if (file !== 'person-call-recording.yaml') {
      expect(overlaid).toEqual(raw);
      return;
    }
    for (const name of ['CallRecordingInfo', 'CallRecordingPut']) {
      const before = raw.components.schemas[name].properties.record.enum as string[];
      expect(overlaid.components.schemas[name].properties.record.enum).toEqual([
        ...before,
        ...OVERLAY_RECORD_MODES,
      ]);
      overlaid.components.schemas[name].properties.record.enum = before;
    }
    expect(overlaid).toEqual(raw);
  });
});
