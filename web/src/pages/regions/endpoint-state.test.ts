import { endpointState } from './endpoint-state';

describe('endpointState', () => {
  it('says online or offline only for an installed device', () => {
    expect(endpointState({ status: 'enrolled', online: true })).toEqual({ label: 'online', tone: 'good' });
    expect(endpointState({ status: 'enrolled', online: false })).toEqual({ label: 'offline', tone: 'idle' });
  });

  it('puts revoked and awaiting installation before any heartbeat', () => {
    expect(endpointState({ status: 'revoked', online: true }).label).toBe('revoked');
    expect(endpointState({ status: 'awaiting_enrollment', online: false }).label).toBe('awaiting');
  });
});
