/** Launches Debian's Chromium for the browser-based report tests; a missing binary fails loudly, never skips. */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is not installed at ${executablePath}: run .ci/install-chromium.sh, then rerun the tests.`,
    );
  }
  try {
    return await chromium.launch({ executablePath, args: ARGS });
  } catch (cause) {
    throw new Error(
      `Chromium at ${executablePath} could not be launched: run .ci/install-chromium.sh (${String(cause)})`,
      {
        cause,
      },
    );
  }
}
