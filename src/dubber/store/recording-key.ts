/**
 * Recording ids are per organisation: the id a client chose is stored as it is, unless another
 * organisation already stored a recording under it; then this organisation's recording is stored as
 * `orgId/id` (`/` never occurs in a recording id). So no organisation can block, or learn of, another's
 * ids, and recordings made before this rule keep their keys.
 */
import type { SinkStore } from './store.ts';

const SEPARATOR = '/';

/** The store key for recording `id` of `orgId`, whether or not it exists yet. */
export function recordingKeyFor(store: Pick<SinkStore, 'getRecording'>, orgId: string, id: string): string {
  const plain = store.getRecording(id);
  return plain === undefined || plain.orgId === orgId ? id : `${orgId}${SEPARATOR}${id}`;
}

/** The id the client chose, from a store key. */
export function recordingIdOfKey(key: string): string {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? key : key.slice(at + 1);
}
