/** `callrec demo`: walks through the Control Hub / Dubber account rules and prints what happened. */
import type { Command } from 'commander';
import {
  type Admin,
  changeSubscription,
  createControlHub,
  DAY_MS,
  decideAccess,
  disableRecording,
  enableRecording,
  findDubPointMismatches,
  getSettings,
  platformInfo,
  retentionStatus,
  updateRecordingSettings,
} from '../../domain/index.ts';
import { isSimError } from '../../errors.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('walk through enabling recording, the Dubber account, tiers, retention and access')
    .action(() => {
      for (const line of runDemo()) console.log(line);
    });
}

function runDemo(): string[] {
  const out: string[] = [];
  const say = (s: string) => out.push(s);
  const admin: Admin = { role: 'customer-admin', email: 'it@acme.example', orgId: 'acme' };
  let hub = createControlHub(
    [
      {
        id: 'acme',
        customerName: 'Acme s.r.o.',
        partnerEnabled: true,
        purchaseChannel: 'partner',
        serviceProvider: 'sp-eu-1',
      },
    ],
    [
      {
        id: 'alice',
        orgId: 'acme',
        firstName: 'Alice',
        lastName: 'Novak',
        email: 'alice@acme.example',
        timeZone: 'Europe/Prague',
        licence: 'Professional',
      },
      {
        id: 'bob',
        orgId: 'acme',
        firstName: 'Bob',
        lastName: 'Svoboda',
        email: 'bob@acme.example',
        timeZone: 'Europe/Prague',
        licence: 'none',
      },
    ],
  );
  const attempt = (label: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (!isSimError(error)) throw error;
      say(`  ✗ ${label}: ${error.code} — ${error.message}`);
    }
  };
  say('callrec demo — Control Hub call recording with Dubber');
  say(`Alice's default mode: ${getSettings(hub, 'alice').record} (S20)`);
  attempt('enable Alice without accepting the terms', () =>
    enableRecording(hub, { userId: 'alice', admin, nowMs: 0 }),
  );
  const enabled = enableRecording(hub, {
    userId: 'alice',
    admin,
    acceptTerms: true,
    settings: { record: 'Always', repeat: { enabled: true, interval: 30 } },
    nowMs: 0,
  });
  hub = enabled.state;
  const account = hub.dubberAccounts.acme;
  say(`  ✓ enabled Alice; Dubber account created: ${enabled.accountCreated} (S15, S18)`);
  say(`    Dubber admins: ${account?.adminEmails.join(', ')} (S16)`);
  say(`    shared with Dubber: ${JSON.stringify(account?.shared)} (S18)`);
  attempt('enable Bob (no calling licence)', () => enableRecording(hub, { userId: 'bob', admin, nowMs: 0 }));
  attempt('set a 5 s repeat tone', () => updateRecordingSettings(hub, 'alice', { repeat: { interval: 5 } }));
  const info = platformInfo(hub, 'alice', 0);
  say(`Platform info for Alice (S19): ${JSON.stringify(info)}`);
  const mismatches = findDubPointMismatches(info, { ...info, externalGroup: 'acme-old' });
  say(
    `  dub.point check against a stale Dubber entry (S33): ${mismatches.map((m) => `${m.field} expected ${m.expected}, found ${m.actual}`).join('; ')}`,
  );

  const recording = { orgId: 'acme', ownerUserId: 'alice', createdAtMs: 1 * DAY_MS };
  const history = () => hub.subscriptions.alice ?? [];
  const show = (label: string, nowMs: number) => {
    const r = retentionStatus(recording, history(), nowMs);
    const where =
      r.state === 'deleted'
        ? `deleted on day ${r.deletedAtMs / DAY_MS}`
        : r.deleteAtMs === null
          ? 'kept indefinitely'
          : `to be deleted on day ${r.deleteAtMs / DAY_MS}`;
    say(`  day ${nowMs / DAY_MS}: ${label} → ${where}`);
  };
  say('Retention of a recording made on day 1:');
  show('on Dubber Go (S6)', 2 * DAY_MS);
  hub = changeSubscription(hub, 'alice', 'Standard', 10 * DAY_MS);
  show('switched to Standard on day 10 (S10)', 40 * DAY_MS);
  const adminActor = { orgId: 'acme', isDubberAdmin: true } as const;
  say(`  admin access on Standard: ${decideAccess(adminActor, recording, 'Standard').allowed} (S8)`);
  hub = changeSubscription(hub, 'alice', 'Go', 50 * DAY_MS);
  show('back to Go on day 50 (S11)', 60 * DAY_MS);
  say(`  admin access on Go: ${decideAccess(adminActor, recording, 'Go').allowed} (S6)`);
  show('after the 30 days', 81 * DAY_MS);
  hub = disableRecording(hub, 'alice');
  say(
    `Recording turned off for Alice: mode back to ${getSettings(hub, 'alice').record}, enabled=${getSettings(hub, 'alice').enabled}; recordings stay (S14)`,
  );
  return out;
}
