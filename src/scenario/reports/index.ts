/** The run reports: console summary, JSON, JUnit XML and a self-contained HTML page, each a pure function of a RunReport. */
export { type ConsoleSummaryOptions, renderConsoleSummary } from './console-report.ts';
export { renderHtmlReport } from './html-report.ts';
export { renderJsonReport } from './json-report.ts';
export { renderJunitReport } from './junit-report.ts';
