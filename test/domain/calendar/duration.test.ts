import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CalendarError, formatDuration, isDurationText, parseDuration, type DurationUnit } from '../../../src/domain/calendar/index.js';

describe('parseDuration', () => {
  const valid: [string, number, DurationUnit, string][] = [
    ['30m', 30, 'm', '30m'],
    ['2h', 2, 'h', '2h'],
    ['3d', 3, 'd', '3d'],
    ['1w', 1, 'w', '1w'],
    ['2wd', 2, 'wd', '2wd'],
    ['8wh', 8, 'wh', '8wh'],
    ['1.5h', 1.5, 'h', '1.5h'],
    ['0.5d', 0.5, 'd', '0.5d'],
    ['1.50h', 1.5, 'h', '1.5h'],
    ['007m', 7, 'm', '7m'],
    ['1.6wd', 1.6, 'wd', '1.6wd'],
  ];
  for (const [text, amount, unit, canonical] of valid) {
    it(`accepts ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseDuration(text), { amount, unit, text: canonical });
      assert.equal(isDurationText(text), true);
    });
  }

  const invalid = ['', ' ', '0h', '0.0wd', '-1h', '1', 'h', 'wd', '1x', '1.h', '.5h', '1e3h', 'Infinityh', 'NaNh', '1 2h', '1.5.2h', '2wdd', '2dw', '1,5h', '2 w d', '2ww', '99999999wd', ' 2wd', '2wd ', '2 wd', '2WD'];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseDuration(text),
        (e: unknown) => e instanceof CalendarError && e.code === 'invalid_duration' && e.message.length > 0,
      );
      assert.equal(isDurationText(text), false);
    });
  }
});

describe('formatDuration', () => {
  const cases: [string, string, string, string][] = [
    ['2wd', '2 个工作日', '2 個工作天', '2 working days'],
    ['1wd', '1 个工作日', '1 個工作天', '1 working day'],
    ['8wh', '8 工作小时', '8 工作小時', '8 working hours'],
    ['30m', '30 分钟', '30 分鐘', '30 minutes'],
    ['1.5h', '1.5 小时', '1.5 小時', '1.5 hours'],
    ['3d', '3 天', '3 天', '3 days'],
    ['1w', '1 周', '1 週', '1 week'],
  ];
  for (const [text, cn, tw, en] of cases) {
    it(text, () => {
      const d = parseDuration(text);
      assert.equal(formatDuration(d, 'zh-CN'), cn);
      assert.equal(formatDuration(d, 'zh-TW'), tw);
      assert.equal(formatDuration(d, 'en'), en);
    });
  }

  it('hides floating-point noise in computed amounts', () => {
    assert.equal(formatDuration({ amount: 3 * 0.8, unit: 'wd', text: '3wd' }, 'en'), '2.4 working days');
  });
});
