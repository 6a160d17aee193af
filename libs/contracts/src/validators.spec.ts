import type * as Contracts from './index';

/**
 * Loads the contracts afresh, counting the code they generate (`new Function`).
 * With `forbid`, as a page's `script-src 'self'` forbids it: every attempt
 * throws, as Chromium's EvalError would.
 */
function loadCountingCodeGeneration(forbid: boolean): { contracts: typeof Contracts; generated: () => number; restore: () => void } {
  const original = globalThis.Function;
  let generated = 0;
  const generate = (args: unknown[]) => {
    generated++;
    if (forbid) throw new EvalError('Refused to evaluate a string as JavaScript (a test forbids it, as a Content-Security-Policy would)');
    return Reflect.construct(original, args);
  };
  globalThis.Function = new Proxy(original, { construct: (_, args) => generate(args), apply: (_, __, args) => generate(args) });
  let contracts: typeof Contracts | undefined;
  try {
    jest.isolateModules(() => {
      contracts = require('./index') as typeof Contracts;
    });
  } catch (err) {
    globalThis.Function = original;
    throw err;
  }
  return { contracts: contracts!, generated: () => generated, restore: () => (globalThis.Function = original) };
}

const ad = {
  type: 'ad',
  needId: '6b0f6c1e-3f5a-4a53-9a55-4f3f0c7d2a11',
  page: 'deals',
  ad: {
    headline: 'Volkswagen ID.3 in Amsterdam from €50.14 a day',
    reason: 'The best deal in Amsterdam',
    offer: { id: 'o-00042', carClass: 'electric', model: 'Volkswagen ID.3', city: 'Amsterdam', location: 'Amsterdam Centraal', dailyRateEur: 58.99, discountPercent: 15, seats: 5, transmission: 'automatic' },
  },
  servedBy: { service: 'ads', version: 'v2', instance: 'ads-v2-host-1234' },
  latencyMs: 0.84,
};

describe('the contracts in a browser', () => {
  let loaded: ReturnType<typeof loadCountingCodeGeneration>;
  beforeEach(() => (loaded = loadCountingCodeGeneration(true)));
  afterEach(() => loaded.restore());

  it('load without generating code', () => {
    expect(loaded.contracts.ServerMessage).toBeDefined();
    expect(loaded.generated()).toBe(0);
  });

  it('decode a server frame into a checked message without generating code', () => {
    const { decodeServerMessage } = loaded.contracts;
    expect(decodeServerMessage(JSON.stringify(ad))).toEqual({ ok: true, message: ad });
    const race = { type: 'race', needId: ad.needId, deadlineMs: 250, replies: [{ version: 'v1', latencyMs: 1.2, won: true, shadow: false, late: false, translated: false }], noAnswer: ['v2'] };
    expect(decodeServerMessage(JSON.stringify(race))).toEqual({ ok: true, message: race });
    expect(loaded.generated()).toBe(0);
  });

  it('say what is wrong with a frame that breaks the contract, readably', () => {
    const { decodeServerMessage } = loaded.contracts;
    expect(decodeServerMessage('{"type":"ad"')).toEqual({ ok: false, error: 'message from the server is not JSON' });
    const broken = decodeServerMessage(JSON.stringify({ ...ad, latencyMs: 'fast' }));
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toMatch(/^invalid message from the server: \//);
    expect(decodeServerMessage(JSON.stringify({ type: 'race', needId: 'n', deadlineMs: 250, replies: [] }))).toMatchObject({ ok: false });
    expect(loaded.generated()).toBe(0);
  });

  it('would break only where a server’s compiled validator is used: it compiles on first use', () => {
    const { adNeedV1, browserMessageValidator } = loaded.contracts;
    expect(() => browserMessageValidator.Check({ type: 'page', page: 'home' })).toThrow(EvalError);
    expect(() => adNeedV1.check({})).toThrow(EvalError);
  });
});

describe('the contracts on a server', () => {
  it('compile each validator once, on its first use, and check with the compiled code after', () => {
    const loaded = loadCountingCodeGeneration(false);
    try {
      const { adNeedV1, browserMessageValidator } = loaded.contracts;
      expect(loaded.generated()).toBe(0);
      expect(browserMessageValidator.Check({ type: 'page', page: 'home' })).toBe(true);
      expect(browserMessageValidator.Check({ type: 'page', page: 'Home!' })).toBe(false);
      expect(browserMessageValidator.problems({ type: 'click' })).not.toEqual([]);
      expect(loaded.generated()).toBe(1);
      expect(adNeedV1.check({}).ok).toBe(false);
      expect(adNeedV1.check({}).ok).toBe(false);
      expect(loaded.generated()).toBe(2);
    } finally {
      loaded.restore();
    }
  });
});

describe('validators', () => {
  // Loaded normally: code generation allowed, as on a server.
  const { compiledValidator, interpretedValidator, decodeJson, PageView } = jest.requireActual<typeof Contracts>('./index');

  it.each([
    ['compiled', compiledValidator],
    ['interpreted', interpretedValidator],
  ])('%s: agree on what is valid, and name the problems', (_, make) => {
    const validator = make(PageView);
    expect(validator.Check({ type: 'page', page: 'my-trips' })).toBe(true);
    expect(validator.Check({ type: 'page', page: 'My Trips' })).toBe(false);
    expect(validator.problems({ type: 'page', page: 'My Trips' })).toEqual([expect.stringMatching(/^\/page /)]);
    expect(validator.problems('nope', 1)).toHaveLength(1);
    expect(decodeJson(validator, '{"type":"page","page":"home"}', 'page view')).toEqual({ ok: true, message: { type: 'page', page: 'home' } });
    expect(decodeJson(validator, '[', 'page view')).toEqual({ ok: false, error: 'page view is not JSON' });
  });
});

describe('the displayed price', () => {
  const { dailyPriceEur } = jest.requireActual<typeof Contracts>('./index');

  it('is the daily rate after the discount, rounded to the cent', () => {
    expect(dailyPriceEur({ dailyRateEur: 49.99, discountPercent: 20 })).toBe(39.99);
    expect(dailyPriceEur({ dailyRateEur: 58.99, discountPercent: 15 })).toBe(50.14);
    expect(dailyPriceEur({ dailyRateEur: 30, discountPercent: 0 })).toBe(30);
    expect(dailyPriceEur({ dailyRateEur: 33.33, discountPercent: 90 })).toBe(3.33);
  });
});
