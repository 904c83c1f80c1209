import { describe, expect, it } from 'vitest';
import { classnameOf, renderJunitReport } from '../../src/scenario/reports/junit-report.ts';
import { replaceUnsafeChars } from '../../src/text/safe-text.ts';
import { NASTY_NAME, runReport } from './fixtures.ts';
import { findAll, parseXmlStrict, textOf, type XmlElement } from './xml-check.ts';

const xml = renderJunitReport(runReport());

function properties(suite: XmlElement | undefined): Record<string, string> {
  return Object.fromEntries(
    findAll(suite ?? parseXmlStrict('<x/>'), 'property').map((p) => [p.attributes.name, p.attributes.value]),
  );
}

describe('renderJunitReport', () => {
  const root = parseXmlStrict(xml);
  const suites = findAll(root, 'testsuite');
  const cases = findAll(root, 'testcase');

  it('is well-formed XML 1.0 (no forbidden characters, every reference valid)', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(renderJunitReport(runReport())).toBe(xml);
  });

  it('counts tests and failures per run and per scenario file', () => {
    expect(root.attributes).toMatchObject({ tests: '3', failures: '2', errors: '0' });
    expect(suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      ['scenarios/modes/always.yaml', '1', '0'],
      ['scenarios/modes/on-demand.yaml', '1', '1'],
      ['scenarios/evil/<x>&"q".yaml', '1', '1'],
    ]);
  });

  it('names each testcase after its scenario, with the file as classname', () => {
    expect(cases.map((c) => [c.attributes.classname, c.attributes.name])).toEqual([
      ['scenarios.modes.always', 'Always records the whole call'],
      ['scenarios.modes.on-demand', 'On Demand pause, resume, stop and start again'],
      ['scenarios.evil.<x>&"q"', replaceUnsafeChars(NASTY_NAME)],
    ]);
    expect(classnameOf('./a/b.c/d.yml')).toBe('a.b.c.d');
  });

  it('has one failure per failed expectation, with expected vs actual, and the timeline in system-out', () => {
    const failures = findAll(cases[1] ?? root, 'failure');
    expect(failures.map((f) => f.attributes.type)).toEqual([
      'expect.calls.c2.tones',
      'expect.calls.c2.recordingStates',
      'expect.account.admins',
    ]);
    expect(failures[0]?.attributes.message).toBe('Repeat tones played (S29): expected 3, actual 2');
    expect(textOf(failures[0] ?? root)).toContain('expected: 3\n    actual:   2');
    expect(textOf(findAll(cases[1] ?? root, 'system-out')[0] ?? root)).toContain('00:55.000  call held');
    expect(findAll(cases[0] ?? root, 'failure')).toEqual([]);
  });

  it('carries seed and cites as properties, and keeps nasty text as text', () => {
    expect(properties(suites[0])).toMatchObject({
      seed: 'qa/Always records the whole call',
      cites: 'S22 S24 S29',
    });
    expect(properties(suites[2])).toMatchObject({ seed: 'seed "with" <quotes>', cites: 'S1 & <S2>' });
    const hostile = findAll(cases[2] ?? root, 'failure')[0];
    expect(hostile?.attributes.type).toBe('expect.calls.c3<i>.rejected');
    expect(hostile?.attributes.message).toContain('<b>&amp;</b> ␁');
    expect(textOf(hostile ?? root)).toContain('["</script><script>alert(2)</script>"]');
  });

  it('keeps line breaks in attribute values and refuses what XML cannot carry', () => {
    const report = runReport();
    const [first] = report.scenarios;
    if (!first) throw new Error('fixture has scenarios');
    const multiLine = renderJunitReport({
      ...report,
      scenarios: [{ ...first, name: 'two\nlines\tand\r\u0000' }],
    });
    expect(findAll(parseXmlStrict(multiLine), 'testcase')[0]?.attributes.name).toBe('two\nlines\tand\r␀');
    expect(() => parseXmlStrict('<a b="\u0001"/>')).toThrow(/not allowed/);
    expect(() => parseXmlStrict('<a>&bogus;</a>')).toThrow(/bad reference/);
    expect(() => parseXmlStrict('<a><b></a>')).toThrow(/mismatched/);
  });
});
