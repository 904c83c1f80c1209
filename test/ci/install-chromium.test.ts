/** `npm test` runs .ci/install-chromium.sh first: silent when Chromium is there, one line when it installs it. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', '.ci', 'install-chromium.sh');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A PATH holding only the basic tools the script uses, a noisy fake apt-get, and (optionally) chromium. */
function fakePath(withChromium: boolean): string {
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
    `for i in $(seq 1 50 2>/dev/null || echo 1 2 3); do echo "Get:$i http://deb.debian.org noise"; done
if [ "$1" = install ] || [ "$3" = install ] || [[ " $* " == *" install "* ]]; then
  printf '#!/bin/bash\\necho fake\\n' > "${dir}/chromium"; chmod 755 "${dir}/chromium"
fi`,
  );
  if (withChromium) stub('chromium', 'echo fake');
  return dir;
}

function runScript(pathDir: string) {
  return spawnSync('/bin/bash', [SCRIPT], { encoding: 'utf8', env: { PATH: pathDir } });
}

describe('.ci/install-chromium.sh', () => {
  it('prints nothing and does nothing when chromium is already there', () => {
    const result = runScript(fakePath(true));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('');
  });

  it('says in one line what it installs and why, and keeps apt-get quiet', () => {
    const result = runScript(fakePath(false));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      "installing Debian's chromium (apt-get): the HTML report tests run it headless",
    ]);
  });
});
