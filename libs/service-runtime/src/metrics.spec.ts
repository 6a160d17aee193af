import { createMetrics, versionLabels } from './metrics';

describe('version labels', () => {
  it('keeps versions as they are, up to a bound, then counts the rest as "other"', () => {
    const label = versionLabels(2);
    expect(['v1', 'v2', 'v1', 'v3', 'v2'].map(label)).toEqual(['v1', 'v2', 'v1', 'other', 'v2']);
  });

  it('calls what does not look like a version "unknown", without spending the bound on it', () => {
    const label = versionLabels(1);
    expect([undefined, '', 'x'.repeat(33), 'v1\n', '../etc', '1.0.0'].map(label)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', '1.0.0']);
  });

  it('keeps the number of time series bounded whatever versions messages claim, and the real versions named', async () => {
    const metrics = createMetrics({ service: 'web', version: '1.0.0', instance: 'web-test' }, ['fallback']);
    for (let i = 0; i < 1000; i++) metrics.invalidMessages.inc({ version: `junk-${i}` });
    const invalid = await metrics.registry.getSingleMetric('ad_race_invalid_messages_total')!.get();
    expect(invalid.values).toHaveLength(32 + 1); // the first 32, and "other"
    expect(invalid.values.find((v) => v.labels['version'] === 'other')?.value).toBe(1000 - 32);

    // The junk spent a bound of its own: a service's own metrics keep the racing versions' names.
    const wins = metrics.counter('ad_race_test_wins_total', 'Races won, by version');
    for (const version of ['1.0.0', 'fallback', 'v1', 'v2']) wins.inc({ version });
    const counted = await metrics.registry.getSingleMetric('ad_race_test_wins_total')!.get();
    expect(counted.values.map((v) => v.labels['version'])).toEqual(['1.0.0', 'fallback', 'v1', 'v2']);
  });

  it('always names the versions it is told to keep, within the bound', () => {
    const label = versionLabels(3, ['1.0.0', 'fallback']);
    expect(['v1', 'v2', 'fallback', '1.0.0'].map(label)).toEqual(['v1', 'other', 'fallback', '1.0.0']);
  });
});
