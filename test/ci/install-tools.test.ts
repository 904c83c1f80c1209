/**
 * `npm test` runs .ci/install-tools.sh first, which installs each system tool the suite runs only when it is
 * missing: silent when the tool is there, one line when it installs it, apt's noise kept in a log.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CI = join(import.meta.dirname, '..', '..', '.ci');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Tool {
  readonly script: string;
  readonly binary: string;
  readonly line: string;
}

const TOOLS: readonly Tool[] = [
  {
    script: 'install-chromium.sh',
    binary: 'chromium',
    line: "installing Debian's chromium (apt-get): the HTML report tests run it headless",
  },
  {
    script: 'install-sipp.sh',
    binary: 'sipp',
    line: "installing Debian's sip-tester (apt-get): the SIPREC interop tests run SIPp against the simulator",
  },
];

/**
 * A PATH holding only the basic tools the scripts use, a noisy fake apt-get that "installs" `binary` (or
 * fails when `aptFails`), and optionally the tool already.
 */
function fakePath(binary: string, options: { present: boolean; aptFails?: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'callrec-ci-'));
  dirs.push(dir);
  for (const tool of ['id', 'env', 'mktemp', 'rm', 'tail', 'cat', 'chmod']) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, join(dir, tool));
  }
  const stub = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  stub('sudo', '"$@"');
  stub(
    'apt-get',
    `for i in 1 2 3 4 5 6 7 8 9 10; do echo "Get:$i http://deb.debian.org noise"; done
if [[ " $* " == *" install "* ]]; then
  ${options.aptFails === true ? 'echo "E: Unable to locate package" >&2; exit 100' : `printf '#!/bin/bash\\necho fake\\n' > "${dir}/${binary}"; chmod 755 "${dir}/${binary}"`}
fi`,
  );
  if (options.present) stub(binary, 'echo fake');
  return dir;
}

function runScript(script: string, pathDir: string) {
  return spawnSync('/bin/bash', [join(CI, script)], { encoding: 'utf8', env: { PATH: pathDir } });
}

describe.each(TOOLS)('.ci/$script', ({ script, binary, line }) => {
  it(`prints nothing and does nothing when ${binary} is already there`, () => {
    const result = runScript(script, fakePath(binary, { present: true }));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });

  it('says in one line what it installs and why, and keeps apt-get quiet', () => {
    const result = runScript(script, fakePath(binary, { present: false }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([line]);
  });

  it("fails with apt-get's last words when the install fails", () => {
    const result = runScript(script, fakePath(binary, { present: false, aptFails: true }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('failed; apt-get said:');
    expect(result.stderr).toContain('Unable to locate package');
  });
});
