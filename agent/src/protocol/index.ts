// The device protocol as both endpoint programs speak it: the agent on a real
// loudspeaker and the simulator (src/sim) that load-tests the server with thousands.
export * from './clock';
export * from './events';
export * from './http';
export * from './live';
export * from './player';
export * from './receipts';
export * from './scheduler';
export * from './sse';
export * from './types';
export * from './air-list';
export * from './one-at-a-time';
