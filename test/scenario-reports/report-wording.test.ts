import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../src/scenario/reports/console-report.ts';
import { renderHtmlReport } from '../../src/scenario/reports/html-report.ts';
import { classnameOf } from '../../src/scenario/reports/junit-report.ts';
import { passingScenario, runReport } from './fixtures.ts';

describe('report wording', () => {
  it('says "1 scenario", not "1 scenarios"', () => {
    const text = renderConsoleSummary(runReport([passingScenario()]), { color: false });
    expect(text.split('\n').at(-1)).toBe('1 scenario: 1 passed, 0 failed');
  });

  it('does not paint a "0 failed" badge red in the HTML report', () => {
    const html = renderHtmlReport(runReport([passingScenario()]));
    expect(html).toContain('0 failed');
    expect(html).not.toMatch(/class="badge fail">0 failed/);
    expect(html).toMatch(/class="badge none">0 failed/);
  });

  it('gives a JUnit classname without leading dots for files outside the working directory', () => {
    expect(classnameOf('../../tmp/qa/always.yaml')).toBe('tmp.qa.always');
    expect(classnameOf('/tmp/qa/always.yaml')).toBe('tmp.qa.always');
    expect(classnameOf('..\\qa\\always.yml')).toBe('qa.always');
    expect(classnameOf('./a/b.c/d.yml')).toBe('a.b.c.d');
  });
});
