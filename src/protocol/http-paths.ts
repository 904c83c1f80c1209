/** The sink's URL paths: the signed WebSocket ingest, signed provisioning and the bearer-token portal. */
export const STREAM_PATH = '/v1/stream';
export const PROVISION_PATH = '/v1/provision';
export const PORTAL_PATH = '/v1/portal/recordings';
