import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDuration, formatDueExplanation } from '../../../src/domain/calendar/index.js';
import { at, cnCalendar } from './helpers.js';

const cal = cnCalendar();

describe('explanation', () => {
  it('National Day 3wd: structured fields', () => {
    const e = addDuration(at('2026-09-30 10:00'), '3wd', cal).explanation;
    assert.equal(e.start, '2026-09-30T02:00:00.000Z');
    assert.equal(e.due, '2026-10-10T02:00:00.000Z');
    assert.equal(e.duration, '3wd');
    assert.equal(e.timeZone, 'Asia/Shanghai');
    assert.deepEqual(e.skippedDays[0], { date: '2026-10-01', reason: 'public_holiday', name: '国庆节' });
    assert.equal(e.skippedDays.length, 7);
    assert.deepEqual(e.adjustedWorkdays, [{ date: '2026-10-10', name: '国庆节' }]);
    assert.deepEqual(e.pauses, []);
  });

  it('National Day 3wd: one sentence per locale', () => {
    const { text } = addDuration(at('2026-09-30 10:00'), '3wd', cal).explanation;
    assert.equal(text['zh-CN'], '2026-09-30 10:00 起计 3 个工作日；跳过国庆节（10-01…10-07）；10-10 调休上班计入；到期 2026-10-10 10:00（Asia/Shanghai）。');
    assert.equal(text['zh-TW'], '2026-09-30 10:00 起計 3 個工作天；跳過国庆节（10-01…10-07）；10-10 調休上班計入；到期 2026-10-10 10:00（Asia/Shanghai）。');
    assert.equal(text.en, '3 working days from 2026-09-30 10:00; skipping 国庆节 (10-01…10-07); adjusted working day 10-10 counted; due 2026-10-10 10:00 (Asia/Shanghai).');
  });

  it('groups weekends and shows other years in full', () => {
    const { text } = addDuration(at('2026-12-24 10:00'), '10wd', cal).explanation;
    // Two weekends in 2026, one in 2027 (no data for 2027: warning first).
    assert.match(text['zh-CN'], /^⚠ 警告：缺少 2027 年/);
    assert.match(text['zh-CN'], /跳过周末（12-26…12-27、2027-01-02…2027-01-03）/);
  });

  it('shows seconds only when the due time has them', () => {
    assert.match(addDuration(at('2026-03-09 10:00'), '0.01h', cal).explanation.text.en, /due 2026-03-09 10:00:36 /);
  });

  it('mentions finished pauses', () => {
    const r = addDuration(at('2026-03-02 09:00'), '2d', cal, [{ from: at('2026-03-02 12:00'), to: at('2026-03-04 12:00') }]);
    assert.match(r.explanation.text['zh-CN'], /期间暂停 1 次；到期 2026-03-06 09:00/);
    assert.match(r.explanation.text.en, /paused 1 time; due 2026-03-06 09:00/);
  });
});

describe('formatDueExplanation', () => {
  it('zh-CN multi-line', () => {
    const r = addDuration(at('2026-09-30 10:00'), '4wd', cal, [{ from: at('2026-10-08 09:00'), to: at('2026-10-08 10:00') }]);
    assert.equal(
      formatDueExplanation(r, 'zh-CN'),
      [
        '开始：2026-09-30 10:00（Asia/Shanghai）',
        '时长：4 个工作日（4wd）',
        '跳过：',
        '  2026-10-01 … 2026-10-07  国庆节（7 天）',
        '  2026-10-11 周日  周末（1 天）',
        '调休上班（计入）：',
        '  2026-10-10 周六  国庆节',
        '暂停：',
        '  2026-10-08 09:00 → 2026-10-08 10:00',
        '到期：2026-10-12 11:00（Asia/Shanghai） = 2026-10-12T03:00:00.000Z',
      ].join('\n'),
    );
  });

  it('en, with a missing year warning first and an open pause', () => {
    const r = addDuration(at('2027-12-30 10:00'), '2wd', cal, [{ from: at('2027-12-31 10:00') }]);
    const lines = formatDueExplanation(r, 'en').split('\n');
    assert.match(lines[0]!, /^WARNING: no holiday data for 2027/);
    assert.deepEqual(lines.slice(1), ['Start: 2027-12-30 10:00 (Asia/Shanghai)', 'Duration: 2 working days (2wd)', 'Pauses:', '  2027-12-31 10:00 → still paused', 'Due: unknown while paused (24 hours of 2 working days used)']);
  });

  it('zh-TW', () => {
    const out = formatDueExplanation(addDuration(at('2026-03-06 16:00'), '8wh', cal), 'zh-TW');
    assert.match(out, /時長：8 工作小時（8wh）/);
    assert.match(out, /2026-03-07 … 2026-03-08  週末（2 天）/);
    assert.match(out, /到期：2026-03-09 16:30（Asia\/Shanghai）/);
  });
});
