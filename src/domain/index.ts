export * from './access.ts';
export * from './control-hub.ts';
export * from './dubber-account.ts';
export * from './organisation.ts';
export * from './platform-info.ts';
export * from './retention.ts';
export * from './settings.ts';
export * from './subscription.ts';
