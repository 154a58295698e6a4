import { describe, expect, it } from 'vitest';
import { formatValue, renderBarChart } from './bar-chart.ts';
import { chartsFor, kindOf } from './benchmark-results.ts';
import { isExternal } from './external-link.ts';
import { repairFence } from './repair-fence.ts';
import { extractSnippets } from './snippets.ts';

describe('repairFence', () => {
  it('gives a one-line fence a plain first line and a closing fence of its own', () => {
    expect(repairFence('``` <quantity> ::= <number><suffix>\n\n<digit> ::= 0 | 1 ```')).toBe('```text\n<quantity> ::= <number><suffix>\n\n<digit> ::= 0 | 1\n```');
  });
  it('leaves well-formed blocks and inline code alone', () => {
    expect(repairFence('```ts\nconst a = 1;\n```')).toBe('```ts\nconst a = 1;\n```');
    expect(repairFence('`inline`')).toBe('`inline`');
  });
});

describe('extractSnippets', () => {
  it('takes ts and typescript blocks with the line they start on, nothing else', () => {
    const page = [
      '# t', '```ts', 'const a = 1;', '```', '```sh', 'ls', '```', '````md', '```ts', 'nested', '```', '````',
      '```typescript title', 'const b = 2;', '```', '<!-- not type-checked: generated code -->', '```ts', 'skipped', '```',
    ].join('\n');
    const snippets = extractSnippets(page, 'recipes/x.md', '/tmp/s');
    expect(snippets.map((s) => [s.line, s.code, s.fileName])).toEqual([
      [3, 'const a = 1;\n', '/tmp/s/recipes-x-1.ts'],
      [14, 'const b = 2;\n', '/tmp/s/recipes-x-2.ts'],
    ]);
  });
});

describe('isExternal', () => {
  it('names the host of a link away from the local site, and nothing for the site itself', () => {
    expect(isExternal('https://github.com/kubernetes/kubernetes')).toBe('github.com');
    expect(isExternal('mailto:someone@example.com')).toBe('mailto');
    expect(isExternal('http://localhost:5000/guide/getting-started.html#next')).toBeUndefined();
    expect(isExternal('http://127.0.0.1:5000/index.html')).toBeUndefined();
    expect(isExternal('guide/getting-started.html')).toBeUndefined();
  });
});

describe('renderBarChart', () => {
  const chart = {
    title: 'GET <small> & fast',
    unit: 'req/s',
    groups: [{ label: 'sequential', bars: [{ label: 'raw', value: 400 }, { label: 'kgo', value: 200, note: '0.50× raw', highlight: true }] }],
  };
  it('draws bars to scale with their values, escaping text, and is deterministic', () => {
    const svg = renderBarChart(chart);
    expect(svg).toBe(renderBarChart(chart));
    expect(svg).toContain('<title>GET &lt;small&gt; &amp; fast</title>');
    const widths = [...svg.matchAll(/<rect class="bar[^"]*" x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect(widths[0]! / widths[1]!).toBeCloseTo(2, 1);
    expect(svg).toContain('200 req/s · 0.50× raw');
    expect(svg).toContain('class="bar kgo"');
  });
  it('says so when there is nothing to draw', () => {
    expect(renderBarChart({ title: 't', unit: 'ms', groups: [{ label: 'g', bars: [] }] })).toContain('no data in the results file');
  });
  it('formats values with three significant digits', () => {
    expect([formatValue(1179.28), formatValue(45.16), formatValue(2.966), formatValue(0.2654)]).toEqual(['1,179', '45.2', '2.97', '0.265']);
  });
});

describe('benchmark results', () => {
  it('tells the kinds of results files apart by name', () => {
    // The peer run's files are charted by @kgo/benchmarks itself.
    expect(kindOf('2026-11-23.json')).toBeUndefined();
    expect(kindOf('discovery-cache-2026-11-25.json')).toBe('discovery-cache');
    expect(kindOf('dynamic-overhead-2026-11-25.json')).toBe('dynamic-overhead');
    expect(kindOf('watch-decode-2026-11-26.json')).toBe('watch-decode');
    expect(kindOf('informer-2026-12-01.json')).toBeUndefined();
  });

  it('reads the dynamic overhead and discovery cache files', () => {
    const dynamic = chartsFor({
      name: 'dynamic-overhead-2026-11-25.json',
      kind: 'dynamic-overhead',
      data: { server: { rest: { medianMs: 500 }, dynamic: { medianMs: 510 } }, replay: { rest: { medianMs: 40 } } },
    })[0]!.chart;
    expect(dynamic.groups.map((g) => g.bars.map((b) => [b.value, b.note]))).toEqual([
      [
        [500, undefined],
        [510, '1.02× rest'],
      ],
      [[40, undefined]],
    ]);
    const cache = chartsFor({ name: 'discovery-cache-x.json', kind: 'discovery-cache', data: { cluster: { groups: 3 }, rows: [{ scenario: 'warm', requests: '0', medianMs: 1 }, { scenario: 'x' }] } })[0]!
      .chart;
    expect(cache.groups[0]!.label).toBe('serverGroupsAndResources(), 3 groups');
    expect(cache.groups[0]!.bars.map((b) => b.label)).toEqual(['warm']);
  });
});
