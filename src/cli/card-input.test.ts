import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_COLORS } from '../client/index.js';
import { parseColor, parseReminder, parseSetEdits, parseWhen, parseWipLimit } from './card-input.js';
import { UsageError } from './exit-codes.js';

// Local days and times are read in the process's zone: Paris here, an hour ahead of UTC in winter
// and two in summer, so a test that forgot the zone would be off by one or two hours.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('parseWhen', () => {
  // Monday 30 November 2026, 23:30 in Paris (22:30 UTC): "tomorrow" is Paris's tomorrow, not UTC's.
  const now = new Date('2026-11-30T22:30:00Z');
  const when = (text: string) => parseWhen(text.split(' '), now);

  it('reads days without a time as noon local, and a time when given', () => {
    expect(when('today')).toBe('2026-11-30T11:00:00.000Z');
    expect(when('tomorrow')).toBe('2026-12-01T11:00:00.000Z');
    expect(when('Tomorrow 17:00')).toBe('2026-12-01T16:00:00.000Z');
    expect(when('+1d')).toBe(when('tomorrow'));
    expect(when('+3d 09:30')).toBe('2026-12-03T08:30:00.000Z');
    expect(when('+2w')).toBe('2026-12-14T11:00:00.000Z');
    expect(when('2026-12-03')).toBe('2026-12-03T11:00:00.000Z');
    expect(when('2026-12-03 17:00')).toBe('2026-12-03T16:00:00.000Z');
    expect(when('2026-12-03T17:00')).toBe('2026-12-03T16:00:00.000Z');
  });

  it('keeps local noon across a change of summer time', () => {
    // 29 March 2027 is after Paris moves to UTC+2 (28 March): noon there is 10:00 UTC.
    expect(parseWhen(['2027-03-29'], now)).toBe('2027-03-29T10:00:00.000Z');
    expect(parseWhen(['+120d'], now)).toBe('2027-03-30T10:00:00.000Z');
  });

  it('reads hours and minutes from now, and instants with their zone as they are', () => {
    expect(when('+2h')).toBe('2026-12-01T00:30:00.000Z');
    expect(when('+30m')).toBe('2026-11-30T23:00:00.000Z');
    expect(when('2026-12-03T17:00:00Z')).toBe('2026-12-03T17:00:00.000Z');
    expect(when('2026-12-03T17:00:00+01:00')).toBe('2026-12-03T16:00:00.000Z');
  });

  it('reads none as clearing', () => {
    expect(when('none')).toBeNull();
    expect(when('NONE')).toBeNull();
  });

  it.each([
    'yesterday-ish',
    '2026-02-30',
    '2026-02-30T10:00:00Z',
    '2026-12-03 25:00',
    '2026-12-03 17:60',
    '3/12/2026',
    '+3',
    '+3y',
    '1969-12-31',
    '3000-01-01',
    '',
  ])('refuses %j with a usage error that shows the forms', (text) => {
    expect(() => when(text)).toThrow(UsageError);
    if (text !== '1969-12-31' && text !== '3000-01-01') expect(() => when(text)).toThrow(/tomorrow/);
  });
});

describe('parseColor', () => {
  it('takes every palette name, in any case, with - or space for _', () => {
    for (const color of LABEL_COLORS) expect(parseColor(color)).toBe(color);
    expect(parseColor('Green')).toBe('green');
    expect(parseColor('sky-dark')).toBe('sky_dark');
    expect(parseColor('Sky Light')).toBe('sky_light');
    expect(parseColor('none')).toBeNull();
  });

  it.each(['magenta', '#ff0000', 'green__dark', ''])('refuses %j naming the valid colours', (raw) => {
    expect(() => parseColor(raw)).toThrow(UsageError);
    expect(() => parseColor(raw)).toThrow(/green, green_dark, green_light, yellow, .* black_light, or none/);
  });
});

describe('parseSetEdits', () => {
  it('reads +name as add, -name as remove, a bare name as add, in order', () => {
    expect(parseSetEdits(['+bug', '-urgent', 'needs review', '+-odd'], 'label')).toEqual({
      add: ['bug', 'needs review', '-odd'],
      remove: ['urgent'],
    });
  });

  it('refuses an unknown --option and an empty name', () => {
    expect(() => parseSetEdits(['--creat'], 'label')).toThrow(/unknown option '--creat'/);
    expect(() => parseSetEdits(['+'], 'label')).toThrow(/names no label/);
  });
});

describe('parseReminder and parseWipLimit', () => {
  it('take whole numbers in range, or none', () => {
    expect(parseReminder('0')).toBe(0);
    expect(parseReminder('40320')).toBe(40320);
    expect(parseReminder('none')).toBeNull();
    for (const bad of ['-5', '2.5', '40321', 'soon']) expect(() => parseReminder(bad)).toThrow(UsageError);
    expect(parseWipLimit('1')).toBe(1);
    expect(parseWipLimit('999')).toBe(999);
    expect(parseWipLimit('none')).toBeNull();
    for (const bad of ['0', '1000', '2.5', 'five']) expect(() => parseWipLimit(bad)).toThrow(UsageError);
  });
});
