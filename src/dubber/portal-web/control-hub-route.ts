/**
 * The Control Hub page's route (`/control-hub/<userId>`): GET shows the form, POST applies it through
 * the domain's `applySettingsPatch`, asks for the Dubber terms on the first enable in an organisation
 * (S15) and stores recording on/off with the user. Settings live in this sink process's memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  applySettingsPatch,
  defaultRecordingSettings,
  type RecordingSettings,
} from '../../domain/settings.ts';
import { isSimError } from '../../errors.ts';
import { faultOfError } from '../http-api.ts';
import type { Provisioning } from '../provisioning.ts';
import type { SinkStore } from '../store/store.ts';
import { controlHubPage, settingsPatchFromForm } from './control-hub-page.ts';
import { errorPage, html, readForm } from './http-helpers.ts';

export function createControlHubRoute(ctx: {
  readonly store: SinkStore;
  readonly provisioning: Provisioning;
}) {
  const { store, provisioning } = ctx;
  /** Control Hub settings per user, for this sink process (the domain validates every change). */
  const settingsOf = new Map<string, RecordingSettings>();
  return async (req: IncomingMessage, res: ServerResponse, userId: string, method: string): Promise<void> => {
    const user = store.getUser(userId);
    if (user === undefined) return errorPage(res, 404, `No user "${userId}" is provisioned in the sink.`);
    const current = settingsOf.get(userId) ?? {
      ...defaultRecordingSettings(user.dubPoint),
      enabled: user.recordingEnabled,
    };
    const page = (status: number, settings: RecordingSettings, extra: { notice?: string; error?: string }) =>
      html(
        res,
        status,
        controlHubPage({
          userId,
          orgId: user.orgId,
          settings,
          dubPoint: user.dubPoint,
          termsNeeded: store.getAccount(user.orgId) === undefined,
          ...extra,
        }),
      );
    if (method === 'GET') return page(200, current, {});
    const form = await readForm(req);
    if (form === undefined) return page(413, current, { error: 'That form is too large.' });
    const patch = settingsPatchFromForm(form, current);
    let next: RecordingSettings;
    try {
      next = applySettingsPatch(current, patch);
    } catch (error) {
      if (!isSimError(error)) throw error;
      return page(400, current, { error: error.message });
    }
    if (next.enabled && store.getAccount(user.orgId) === undefined) {
      const email = (form.get('adminEmail') ?? '').trim();
      if (!form.has('acceptTerms') || email === '') {
        return page(400, current, {
          error:
            'The first user enabled in an organisation creates its Dubber account: accept the Dubber terms of service and give your admin e-mail (S15).',
        });
      }
      try {
        provisioning.upsertAccount({ orgId: user.orgId, termsAcceptedBy: email, adminEmails: [email] });
      } catch (error) {
        if (!isSimError(error)) throw error;
        return page(faultOfError(error).status, current, { error: error.message });
      }
    }
    provisioning.setRecordingEnabled({ userId, enabled: next.enabled });
    settingsOf.set(userId, next);
    return page(200, next, { notice: 'Saved.' });
  };
}
