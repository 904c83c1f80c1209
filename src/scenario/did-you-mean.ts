/** "did you mean …?" for a misspelt name: the closest known one by edit distance, if it is close enough. */

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** The known name closest to `wanted` (case-insensitive), or undefined when none is near. */
export function closestName(wanted: string, known: readonly string[]): string | undefined {
  const needle = wanted.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(needle, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(needle.length, best.name.length) / 3));
  return best.distance <= limit ? best.name : undefined;
}

/** `unknown user "alcie"; did you mean "alice"? (known: alice, bob)` */
export function unknownName(what: string, wanted: string, known: readonly string[]): string {
  const guess = closestName(wanted, known);
  const list = known.length === 0 ? `no ${what} is defined` : `known: ${known.join(', ')}`;
  return `unknown ${what} "${wanted}"${guess === undefined ? '' : `; did you mean "${guess}"?`} (${list})`;
}
