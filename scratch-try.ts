import { WorkingCalendar, builtInHolidayYears, addDuration, formatDueExplanation } from '/work/main/src/domain/calendar/index.js';
const cal = new WorkingCalendar({ timeZone: 'Asia/Shanghai', holidays: 'CN', workingWeekdays: [1,2,3,4,5], workingHours: [{start:'08:30',end:'12:00'},{start:'13:30',end:'17:30'}] }, builtInHolidayYears('CN'));
for (const [s, d] of [['2026-09-30T10:00:00+08:00','2wd'],['2026-09-30T10:00:00+08:00','3wd'],['2027-12-30T10:00:00+08:00','2wd'],['2026-03-06T16:00:00+08:00','8wh'],['2026-09-19T10:00:00+08:00','2wd']] as const) {
  const r = addDuration(new Date(s), d, cal);
  console.log(r.due?.toISOString(), JSON.stringify(r.explanation, null, 0));
  for (const l of ['zh-CN','zh-TW','en'] as const) console.log(r.explanation.text[l]);
  console.log(formatDueExplanation(r, 'zh-CN'));
}
const p = addDuration(new Date('2026-09-30T10:00:00+08:00'), '2wd', cal, [{from: new Date('2026-09-30T12:00:00+08:00')}]);
console.log(p.due, p.explanation.text.en, '\n', formatDueExplanation(p, 'en'));
let t = performance.now();
for (let i=0;i<1000;i++) addDuration(new Date(Date.UTC(2026,0,1)+i*3600_000*7), '30wd', cal);
console.log('warm avg ms', (performance.now()-t)/1000);
t = performance.now();
for (let i=0;i<100;i++) { const c = new WorkingCalendar(cal.spec as any, builtInHolidayYears('CN')); addDuration(new Date(Date.UTC(2026,0,1)+i*3600_000*7), '30wd', c); }
console.log('cold avg ms', (performance.now()-t)/100);
