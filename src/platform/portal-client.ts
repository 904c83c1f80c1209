/**
 * The portal of a sink over HTTP for one person: a bearer token issued through signed provisioning
 * (the key must act for the person's organisation), then the recordings they may see, one recording's
 * metadata and its stereo WAV. What `callrec recordings` uses against a running sink or the embedded
 * sink of a persisted run.
 */
import { SimError } from '../errors.ts';
import { PORTAL_PATH } from '../protocol/http-paths.ts';
import type { PortalPage, RecordingMetadata, RecordingSummary } from '../protocol/portal-api.ts';
import type { IssueTokenRequest } from '../protocol/provision-requests.ts';
import type { SimClock } from '../time/clock.ts';
import { httpSinkAdmin } from './admin-client.ts';

export interface PortalClientOptions {
  /** http://host:port of the sink. */
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secret: string;
  /** Signs provisioning; must read the sink's timeline. */
  readonly clock: SimClock;
  /** Who is asking: a user of the org, or a Dubber admin e-mail; or a token already issued. */
  readonly as: IssueTokenRequest | { readonly token: string };
}

export interface PortalClient {
  readonly token: string;
  list(): Promise<RecordingSummary[]>;
  get(recordingId: string): Promise<RecordingMetadata>;
  download(recordingId: string): Promise<Buffer>;
  /** The recording's page in the sink's portal web pages. */
  pageUrl(recordingId: string): string;
}

async function fetchOk(url: string, token: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (cause) {
    throw new SimError(
      'SIM_ERR_SINK_UNAVAILABLE',
      `Cannot reach the sink at ${url}: is \`callrec sink\` running there?`,
      {
        details: { url },
        cause,
      },
    );
  }
  if (response.ok) return response;
  const text = await response.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON: keep the text
  }
  const code =
    response.status === 401
      ? 'SIM_ERR_SINK_AUTH'
      : response.status === 403
        ? 'SIM_ERR_NOT_AUTHORISED'
        : response.status === 404
          ? 'SIM_ERR_NOT_FOUND'
          : 'SIM_ERR_SINK_PROTOCOL';
  throw new SimError(code, `The sink answered ${response.status}: ${message}`, {
    details: { url, status: response.status },
  });
}

export async function connectPortal(options: PortalClientOptions): Promise<PortalClient> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const token =
    'token' in options.as
      ? options.as.token
      : await httpSinkAdmin({
          baseUrl: base,
          keyId: options.keyId,
          secret: options.secret,
          clock: options.clock,
        }).issueToken(options.as);
  const at = (id: string) => `${base}${PORTAL_PATH}/${encodeURIComponent(id)}`;
  return {
    token,
    async list() {
      // Every page, following nextCursor (the portal answers at most its page limit at a time).
      const all: RecordingSummary[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 100_000; pages++) {
        const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
        const page = (await (await fetchOk(`${base}${PORTAL_PATH}${query}`, token)).json()) as PortalPage;
        all.push(...page.recordings);
        cursor = page.nextCursor;
        if (cursor === null) break;
      }
      return all;
    },
    get: async (id) => (await (await fetchOk(at(id), token)).json()) as RecordingMetadata,
    download: async (id) => Buffer.from(await (await fetchOk(`${at(id)}/audio.wav`, token)).arrayBuffer()),
    pageUrl: (id) => `${base}/portal/recordings/${encodeURIComponent(id)}`,
  };
}
