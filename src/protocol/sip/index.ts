/** SIP messages (RFC 3261): model, parse, serialise, header grammar, responses, transactions. */
export * from './parse-sip.ts';
export * from './serialise-sip.ts';
export * from './sip-errors.ts';
export * from './sip-grammar.ts';
export * from './sip-message.ts';
export * from './sip-responses.ts';
export * from './transaction/invite-client.ts';
export * from './transaction/invite-server.ts';
export * from './transaction/non-invite-client.ts';
export * from './transaction/non-invite-server.ts';
export * from './transaction/transaction-runner.ts';
export * from './transaction/transaction-types.ts';
