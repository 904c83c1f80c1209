#!/usr/bin/env node
// Provisions a user for call recording and records a call, against `callrec serve` (or any server that
// speaks the same Webex API). Plain Node 20, no dependencies.
//
//   WEBEX_API=http://127.0.0.1:8790/v1 WEBEX_ADMIN_TOKEN=… WEBEX_USER_TOKEN=… WEBEX_SIM_TOKEN=… \
//     node docs/examples/provision-and-record.mjs [personId]
//
// WEBEX_SIM_TOKEN is the simulator token of `callrec serve --print-tokens`: it lets the script play the
// remote party (answer the call) and move virtual time. Exit code 0 when the call was recorded.

const api = process.env.WEBEX_API ?? 'http://127.0.0.1:8790/v1';
const adminToken = process.env.WEBEX_ADMIN_TOKEN;
const userToken = process.env.WEBEX_USER_TOKEN;
const simToken = process.env.WEBEX_SIM_TOKEN;
const personId = process.argv[2] ?? 'alice';
if (!adminToken || !userToken || !simToken) {
  console.error('Set WEBEX_ADMIN_TOKEN, WEBEX_USER_TOKEN and WEBEX_SIM_TOKEN (see `callrec serve --print-tokens`).');
  process.exit(2);
}

async function call(method, path, token, body) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${json?.message ?? text}`);
  return json;
}

// 1. The organisation's vendor and whether its terms are accepted (needed before the first user, S15).
const vendors = await call('GET', '/telephony/config/callRecording/vendors', adminToken);
const terms = await call('GET', `/telephony/config/callRecording/vendors/${vendors.vendorId}/termsOfService`, adminToken);
if (!terms.termsOfServiceEnabled) {
  console.log(`accepting ${terms.vendorName}'s terms: ${terms.termsOfServiceUrl}`);
  await call('PUT', `/telephony/config/callRecording/vendors/${vendors.vendorId}/termsOfService`, adminToken, {
    termsOfServiceEnabled: true,
  });
}

// 2. Turn recording on for the person: Always, with the start/stop announcement and a tone every 20 s.
await call('PUT', `/people/${personId}/features/callRecording`, adminToken, {
  enabled: true,
  record: 'Always',
  startStopAnnouncementEnabled: true,
  repeat: { enabled: true, interval: 20 },
});
const settings = await call('GET', `/people/${personId}/features/callRecording`, adminToken);
console.log(`${personId}: record=${settings.record}, dub.point ${settings.serviceProvider}/${settings.externalGroup}/${settings.externalIdentifier}`);

// 3. The person dials out; the remote party answers (simulator); 45 s pass; the person hangs up.
const { callId } = await call('POST', '/telephony/calls/dial', userToken, { destination: '+420555123456' });
await call('POST', `/simulator/calls/${callId}/answer`, simToken);
const clock = await call('GET', '/simulator/clock', simToken);
if (clock.mode === 'virtual') await call('POST', '/simulator/clock/advance', simToken, { ms: 45_000 });
else await new Promise((resolve) => setTimeout(resolve, 2_000));
const during = await call('GET', `/telephony/calls/${callId}`, userToken);
console.log(`call ${callId}: state=${during.state}, recordingState=${during.recordingState}`);
await call('POST', '/telephony/calls/hangup', userToken, { callId });

// 4. What the recording consequences were: announcements heard, tones, media time kept for Dubber.
const log = await call('GET', `/simulator/calls/${callId}/log`, simToken);
const announcements = log.items.filter((e) => e.type === 'announcement').map((e) => e.kind);
const tones = log.items.filter((e) => e.type === 'tone').length;
console.log(`recorded ${log.recordedMs} ms; announcements: ${announcements.join(', ') || 'none'}; tones: ${tones}`);
process.exit(during.recordingState === 'started' && log.recordedMs > 0 ? 0 : 1);
