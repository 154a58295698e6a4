import { describe, expect, it } from 'vitest';
import { SelectorError } from '../errors/selector-error.ts';
import { labelSelectorAsSelector, parseSelector, Selector, selectorFromSet } from './label-selector.ts';

describe('parseSelector', () => {
  const labels = { app: 'web', tier: 'frontend', version: '3', empty: '' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['version>2', true],
    ['version>3', false],
    ['version<4', true],
    ['app>1', false],
    ['missing<1', false],
    ['empty=', true],
    ['empty in ()', true],
    ['empty', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['  app = web , tier in ( frontend , edge ) , !canary ', true],
    ['app in (in,notin,web)', true],
  ])('%j matches %j', (selector, expected) => {
    expect(parseSelector(selector).matches(labels)).toBe(expected);
  });

  it('treats absent labels as empty', () => {
    expect(parseSelector('!app').matches(undefined)).toBe(true);
    expect(parseSelector('app').matches(undefined)).toBe(false);
    expect(parseSelector('').matches(undefined)).toBe(true);
  });

  it('renders the canonical form (sorted keys and set values), as labels.Selector.String()', () => {
    expect(parseSelector('z=1, a in (c,b), !m, k').toString()).toBe('a in (b,c),k,!m,z=1');
    expect(parseSelector('x notin (b,a,)').toString()).toBe('x notin (,a,b)');
    expect(parseSelector('a==b,c!=d,e>5').toString()).toBe('a==b,c!=d,e>5');
  });

  it.each([
    ['app=', undefined],
    ['a in (b', "found '', expected: ',' or ')'"],
    ['a in b', "found 'b' expected: '('"],
    ['a b', "found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a>b', "for 'Gt', 'Lt' operators, the value must be an integer"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['Bad_Prefix/x=1', 'prefix part must be a lowercase DNS subdomain'],
    ['a/b/c=1', "separated by one '/'"],
    ['-a=1', 'name part must consist of alphanumerics'],
    [`${'k'.repeat(64)}=1`, 'name part must be no more than 63 characters'],
    [`a=${'v'.repeat(64)}`, 'must be no more than 63 characters'],
    ['a=-v', 'value "-v": must be empty or consist of alphanumerics'],
    ['a=>1', "found '>', expected: identifier"],
  ])('refuses %j', (selector, reason) => {
    if (reason === undefined) {
      expect(() => parseSelector(selector)).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      parseSelector(selector);
    } catch (caught) {
      error = caught;
    }
    expect(SelectorError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(`invalid label selector ${JSON.stringify(selector)}`);
    expect((error as Error).message).toContain(reason);
  });
});

describe('selectorFromSet and labelSelectorAsSelector', () => {
  it('selects exactly a label set', () => {
    const selector = selectorFromSet({ b: '2', a: '1' });
    expect(selector.toString()).toBe('a=1,b=2');
    expect(selector.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(selector.matches({ a: '1' })).toBe(false);
    expect(selectorFromSet({}).empty()).toBe(true);
    expect(() => selectorFromSet({ 'a b': 'x' })).toThrow(/name part must consist/);
  });

  it('converts metav1.LabelSelector: nil selects nothing, {} everything', () => {
    expect(labelSelectorAsSelector(undefined).matches({ a: '1' })).toBe(false);
    expect(labelSelectorAsSelector(undefined).empty()).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: '1' })).toBe(true);
    const selector = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
      ],
    });
    expect(selector.toString()).toBe('app=web,!canary,env notin (dev),tier in (edge,frontend),zone');
    expect(selector.matches({ app: 'web', tier: 'edge', zone: 'a' })).toBe(true);
    expect(selector.matches({ app: 'web', tier: 'edge', zone: 'a', canary: 'yes' })).toBe(false);
    expect(selector.matches({ app: 'web', tier: 'edge', zone: 'a', env: 'dev' })).toBe(false);
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(/values set can't be empty/);
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toThrow(/values set must be empty/);
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] })).toThrow(/not a valid label selector operator/);
  });

  it('has everything and nothing', () => {
    expect(Selector.everything().matches({})).toBe(true);
    expect(Selector.nothing().matches({})).toBe(false);
  });
});
