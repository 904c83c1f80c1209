import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../src/scenario/reports/console-report.ts';

import { passingScenario, runReport } from './fixtures.ts';

describe('report wording', () => {
  it('says "1 scenario", not "1 scenarios"', () => {
    const text = renderConsoleSummary(runReport([passingScenario()]), { color: false });
    expect(text.split('\n').at(-1)).toBe('1 scenario: 1 passed, 0 failed');
  });
});
