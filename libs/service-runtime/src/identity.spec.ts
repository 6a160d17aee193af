import { identify } from './identity';

describe('a process identity', () => {
  it('names its service and version, and tells apart two starts of one container (same host, pid 1)', () => {
    const first = identify('ads', 'v2', undefined, 1_000);
    expect(first).toMatchObject({ service: 'ads', version: 'v2', instance: expect.stringMatching(/^ads-v2-.+-\d+-rs$/) });
    expect(identify('ads', 'v2', undefined, 2_000).instance).not.toBe(first.instance);
    expect(identify('ads', 'v2', 'ads-v2-a').instance).toBe('ads-v2-a');
  });
});
