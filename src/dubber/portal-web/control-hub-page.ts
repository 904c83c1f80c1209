/**
 * A Control Hub page for one user's call-recording settings (the source text's steps S13–S30), served
 * by the sink with the domain's own validation (`applySettingsPatch`), so a refused value gets the same
 * message the domain gives. The first enable in an organisation without a Dubber account asks for the
 * Dubber terms (S15) and creates the account with the accepting admin; "View call recording platform
 * info" (S19) shows the dub.point values the sink holds. Settings live in the sink process's memory.
 * `callrec serve` renders the same page (src/webex/control-hub-web.ts) over the served API's settings.
 */

import type { DubPoint } from '../../domain/platform-info.ts';
import {
  NOTIFICATION_TYPES,
  RECORD_MODES,
  REPEAT_TONE_INTERVAL_S,
  type RecordingSettings,
} from '../../domain/settings.ts';
import { esc, layout } from './html.ts';

export interface ControlHubPageInput {
  readonly userId: string;
  readonly orgId: string;
  readonly settings: RecordingSettings;
  readonly dubPoint: DubPoint;
  /** The organisation has no Dubber account yet: enabling asks for the terms (S15). */
  readonly termsNeeded: boolean;
  readonly notice?: string;
  readonly error?: string;
  /** The sink asks who accepts the terms; `callrec serve` knows it from the signed-in admin (default true). */
  readonly askAdminEmail?: boolean;
  /** The admin signed in (`callrec serve`), shown with a sign-out button. */
  readonly signedInAs?: string;
}

const checked = (on: boolean) => (on ? ' checked' : '');
const selected = (on: boolean) => (on ? ' selected' : '');

export function controlHubPage(input: ControlHubPageInput): string {
  const s = input.settings;
  const d = input.dubPoint;
  const here = `/control-hub/${encodeURIComponent(input.userId)}`;
  const who =
    input.signedInAs === undefined
      ? ''
      : `<form method="post" action="${here}/sign-out" class="inline" id="sign-out"><p>Signed in as <strong>${esc(input.signedInAs)}</strong> <button type="submit">Sign out</button></p></form>\n`;
  const body = `${who}${input.notice === undefined ? '' : `<p class="notice" role="status">${esc(input.notice)}</p>`}
${input.error === undefined ? '' : `<p class="error" role="alert" id="settings-error">${esc(input.error)}</p>`}
<p>Users › <strong>${esc(input.userId)}</strong> (${esc(input.orgId)}) › Calling › Call recording</p>
<form method="post" action="${here}" id="settings">
<fieldset><legend>Call recording</legend>
<label><input type="checkbox" name="enabled" id="enabled"${checked(s.enabled)}> Record calls for this user (S13)</label>
${
  input.termsNeeded
    ? `<p><label><input type="checkbox" name="acceptTerms" id="accept-terms"> I accept the Dubber terms of service (S15)</label>${
        input.askAdminEmail === false
          ? ''
          : `
<label for="admin-email">Your admin e-mail</label> <input id="admin-email" name="adminEmail" type="email" maxlength="320">`
      }</p>`
    : ''
}
</fieldset>
<fieldset><legend>Record</legend>
${RECORD_MODES.map((m) => `<label><input type="radio" name="record" value="${esc(m)}"${checked(s.record === m)}> ${esc(m)}</label>`).join('<br>')}
</fieldset>
<fieldset><legend>Announcements and notifications</legend>
<label><input type="checkbox" name="recordVoicemailEnabled"${checked(s.recordVoicemailEnabled)}> Record voicemail</label><br>
<label><input type="checkbox" name="startStopAnnouncementEnabled"${checked(s.startStopAnnouncementEnabled)}> Play a start/stop announcement (not recorded, S25)</label><br>
<label><input type="checkbox" name="internalCallsEnabled"${checked(s.startStopAnnouncement.internalCallsEnabled)}> … on internal calls</label>
<label><input type="checkbox" name="pstnCallsEnabled"${checked(s.startStopAnnouncement.pstnCallsEnabled)}> … on PSTN calls</label><br>
<label><input type="checkbox" name="notificationEnabled"${checked(s.notification.enabled)}> Pause/resume notification</label>
<label for="notification-type">Type</label> <select id="notification-type" name="notificationType">${NOTIFICATION_TYPES.map((t) => `<option value="${esc(t)}"${selected(s.notification.type === t)}>${esc(t)}</option>`).join('')}</select>
</fieldset>
<fieldset><legend>Repeat tone</legend>
<label><input type="checkbox" name="repeatEnabled" id="repeat-enabled"${checked(s.repeat.enabled)}> Play a tone while recording</label>
<label for="repeat-interval">every (seconds, ${REPEAT_TONE_INTERVAL_S.min}–${REPEAT_TONE_INTERVAL_S.max})</label>
<input id="repeat-interval" name="repeatInterval" type="number" inputmode="numeric" value="${s.repeat.interval}">
</fieldset>
<button type="submit" id="save">Save</button>
</form>
<details id="platform-info"><summary>View call recording platform info (S19)</summary>
<dl class="facts">
<dt>Product</dt><dd>${esc(d.product)}</dd>
<dt>External type</dt><dd>${esc(d.externalType)}</dd>
<dt>Service provider</dt><dd>${esc(d.serviceProvider)}</dd>
<dt>External group</dt><dd>${esc(d.externalGroup)}</dd>
<dt>External identifier</dt><dd>${esc(d.externalIdentifier)}</dd>
</dl></details>`;
  return layout({ title: `Call recording · ${input.userId}`, body, brand: 'Control Hub' });
}

/**
 * The settings patch a submitted form asks for: a checkbox is on when it is sent; a repeat interval that
 * is not a number is passed on as typed, so validation names it. Shared by the sink's page and `callrec serve`.
 */
export function settingsPatchFromForm(form: URLSearchParams, current: RecordingSettings) {
  const on = (name: string) => form.has(name);
  const intervalText = (form.get('repeatInterval') ?? '').trim();
  return {
    enabled: on('enabled'),
    record: form.get('record') ?? current.record,
    recordVoicemailEnabled: on('recordVoicemailEnabled'),
    startStopAnnouncementEnabled: on('startStopAnnouncementEnabled'),
    startStopAnnouncement: {
      internalCallsEnabled: on('internalCallsEnabled'),
      pstnCallsEnabled: on('pstnCallsEnabled'),
    },
    notification: {
      type: form.get('notificationType') ?? current.notification.type,
      enabled: on('notificationEnabled'),
    },
    repeat: {
      interval: /^-?\d+(\.\d+)?$/.test(intervalText) ? Number(intervalText) : intervalText,
      enabled: on('repeatEnabled'),
    },
  };
}
