/**
 * The scenario runner's Control Hub and phones, speaking the served Webex API over HTTP (`callrec run
 * --via api`). Each step becomes the requests an integration would send:
 * - enable: accept the vendor's terms when the step says so (PUT termsOfService, withdrawn again if the
 *   enablement then fails, as accepting in Control Hub's enable dialog does), then PUT the person's
 *   settings with `enabled: true`, the chosen Dubber subscription in `X-Dubber-Subscription`;
 * - update / disable: PUT the person's settings as the organisation's admin;
 * - switchTier, platform info, calls placed by the network, the remote party answering, the recorder going
 *   down or up: the simulator's endpoints;
 * - every other call command: the call-control API with the user's token.
 * Control Hub's form checks its own bounds (S29: repeat interval 10–90 s) before it calls the API, which
 * itself accepts the description's 10–1800 s.
 */
import type { CallCommand } from '../../machines/call-events.ts';
import { applySettingsPatch, type DubPoint, defaultRecordingSettings } from '../domain/index.ts';
import { SimError } from '../errors.ts';
import type { ControlSurface } from '../scenario/control-surface.ts';
import type { ExecutedCall } from '../scenario/execute-scenario.ts';
import type { Scenario, ScenarioCall, ScenarioStep } from '../scenario/schema.ts';
import type { VirtualClock } from '../time/index.ts';
import { type ApiClient, createApiClient, errorOfAnswer } from './api-client.ts';
import { SUBSCRIPTION_HEADER } from './routes/person-routes.ts';
import { DUBBER_VENDOR } from './vendor.ts';
import type { WebexServer } from './webex-server.ts';

const CALL_API: Partial<Record<CallCommand, string>> = {
  'hang-up': 'hangup',
  hold: 'hold',
  unhold: 'resume',
  start: 'startRecording',
  stop: 'stopRecording',
  pause: 'pauseRecording',
  resume: 'resumeRecording',
};

/** Control Hub's form refuses what it cannot submit (S29's bounds), before any request is made. */
function formCheck(settings: unknown): void {
  applySettingsPatch(
    defaultRecordingSettings({ serviceProvider: '', externalGroup: '', externalIdentifier: '' }),
    settings ?? {},
  );
}

export function createApiSurface(
  server: WebexServer,
  scenario: Scenario,
  clock: VirtualClock,
): ControlSurface {
  const api: ApiClient = createApiClient(server.url);
  const sim = server.simulatorToken;
  const orgOfUser = (userId: string): string => {
    const user = scenario.users.find((u) => u.id === userId);
    return user?.org ?? (scenario.orgs[0]?.id as string);
  };
  const personPath = (userId: string) => `/v1/people/${encodeURIComponent(userId)}/features/callRecording`;
  const adminToken = (email: string): string => {
    if (!server.world.admins.has(email.toLowerCase())) {
      throw new SimError('SIM_ERR_INVALID_SCENARIO', `Admin ${email} is not declared under admins.`, {
        details: { email },
      });
    }
    return server.tokenOf(email);
  };

  const enable = async (step: Extract<ScenarioStep, { enable: unknown }>['enable']) => {
    const token = adminToken(step.by);
    formCheck(step.settings);
    const orgId = orgOfUser(step.user);
    const termsPath = `/v1/telephony/config/callRecording/vendors/${DUBBER_VENDOR.id}/termsOfService?orgId=${encodeURIComponent(orgId)}`;
    let acceptedNow = false;
    if (step.acceptTerms) {
      const terms = await api.request('GET', termsPath, token);
      const accepted =
        (terms.body as { termsOfServiceEnabled?: boolean } | undefined)?.termsOfServiceEnabled === true;
      if (terms.status === 200 && !accepted) {
        acceptedNow =
          (await api.request('PUT', termsPath, token, { termsOfServiceEnabled: true })).status === 204;
      }
    }
    const answer = await api.request(
      'PUT',
      personPath(step.user),
      token,
      { ...(step.settings ?? {}), enabled: true },
      step.tier === undefined ? {} : { [SUBSCRIPTION_HEADER]: step.tier },
    );
    if (answer.status >= 400) {
      if (acceptedNow) await api.request('PUT', termsPath, token, { termsOfServiceEnabled: false });
      throw errorOfAnswer(answer, `PUT ${personPath(step.user)}`);
    }
  };

  return {
    clock,
    hub: () => server.world.hub(),
    async controlHub(step) {
      if ('enable' in step) return enable(step.enable);
      if ('update' in step) {
        formCheck(step.update.settings);
        await api.must(
          'PUT',
          personPath(step.update.user),
          server.orgAdminToken(orgOfUser(step.update.user)),
          step.update.settings,
        );
        return;
      }
      if ('disable' in step) {
        await api.must(
          'PUT',
          personPath(step.disable.user),
          server.orgAdminToken(orgOfUser(step.disable.user)),
          { enabled: false },
        );
        return;
      }
      if ('switchTier' in step) {
        await api.must(
          'PUT',
          `/v1/simulator/people/${encodeURIComponent(step.switchTier.user)}/dubberSubscription`,
          sim,
          {
            tier: step.switchTier.tier,
          },
        );
        return;
      }
      throw new SimError('SIM_ERR_INTERNAL', 'The API surface was given a step it does not carry.');
    },
    async platformInfo(userId) {
      return (await api.must(
        'GET',
        `/v1/simulator/people/${encodeURIComponent(userId)}/platformInfo`,
        sim,
      )) as DubPoint;
    },
    async startCall(spec: ScenarioCall): Promise<ExecutedCall> {
      await api.must('POST', '/v1/simulator/calls', sim, {
        personId: spec.user,
        callId: spec.id,
        direction: spec.direction,
        remote: spec.remote,
        voicemail: spec.voicemail,
        recorder: { answerMs: spec.recorder.answerMs, up: spec.recorder.up },
      });
      const served = server.world.calls.find(spec.id);
      if (served === undefined)
        throw new SimError('SIM_ERR_INTERNAL', `The served world has no call ${spec.id} after placing it.`);
      return { spec, run: served.run, startedAtMs: served.createdMs, mode: served.mode };
    },
    async command(call, command) {
      const callId = call.spec.id;
      const path = (() => {
        if (command === 'answer') {
          return call.spec.direction === 'incoming'
            ? '/v1/telephony/calls/answer'
            : `/v1/simulator/calls/${encodeURIComponent(callId)}/answer`;
        }
        if (command === 'recorder-down' || command === 'recorder-up')
          return `/v1/simulator/calls/${encodeURIComponent(callId)}/recorder`;
        return `/v1/telephony/calls/${CALL_API[command]}`;
      })();
      const simulatorPath = path.startsWith('/v1/simulator/');
      const body =
        command === 'recorder-down' || command === 'recorder-up'
          ? { up: command === 'recorder-up' }
          : simulatorPath
            ? undefined
            : { callId };
      const answer = await api.request(
        'POST',
        path,
        simulatorPath ? sim : server.tokenOf(call.spec.user),
        body,
      );
      const code = (answer.body as { errors?: { code?: string }[] } | undefined)?.errors?.[0]?.code;
      // A command the call refused is in its log as `rejected`, exactly as on a phone.
      if (answer.status >= 400 && code !== 'SIM_ERR_COMMAND_NOT_ALLOWED')
        throw errorOfAnswer(answer, `POST ${path}`);
    },
  };
}
