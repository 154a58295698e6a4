import type { FixtureReport } from './fixtures.ts';

export interface GetRow {
  client: string;
  concurrency: number;
  /** Requests per second of each round. */
  rounds: number[];
  median: number;
  /** Client CPU time per request of each round, µs. */
  cpuUsPerRequest: number[];
  medianCpuUs: number;
}

export interface ListRow {
  client: string;
  /** Every timed list of every worker process, ms. */
  timesMs: number[];
  medianMs: number;
  /** Client CPU time of every timed list, ms. */
  cpuMs: number[];
  medianCpuMs: number;
  /** Peak RSS of each worker process, MiB. */
  maxRssMiB: number[];
  medianMaxRssMiB: number;
  /** RSS of a worker after loading the client, before its first request, MiB. */
  medianStartRssMiB: number;
}

export interface Report {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: { before: number; after: number } };
  kubernetes: string;
  cluster: { source: string; startupMs: number | undefined; binaries: string | undefined };
  libraries: Record<string, string>;
  /** Which state of @kgo/rest's sources was measured. */
  kgoRestSource: { sha256: string; files: number; newest: string; changedDuringRun: boolean };
  settings: Record<string, unknown>;
  fixtures: FixtureReport;
  get: GetRow[];
  list: ListRow[];
  totalSeconds: number;
}

/** The issue's goals: throughput ≥ 0.9× raw, list time ≤ 1.2× raw, ahead of client-node on every row. */
export const GOALS = { throughputVsRaw: 0.9, listTimeVsRaw: 1.2 } as const;

interface TableRow {
  scenario: string;
  unit: string;
  higherIsBetter: boolean;
  raw: number | undefined;
  kgo: number | undefined;
  clientNode: number | undefined;
  /** Bound on kgo / raw, if the row has one. */
  rawGoal?: number;
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
const mark = (ok: boolean) => (ok ? '✅' : '❌');

export function tableRows(report: Report): TableRow[] {
  const rows: TableRow[] = [];
  const concurrencies = [...new Set(report.get.map((row) => row.concurrency))];
  for (const concurrency of concurrencies) {
    const of = (client: string) => report.get.find((row) => row.client === client && row.concurrency === concurrency)?.median;
    rows.push({
      scenario: concurrency === 1 ? 'GET small ConfigMap, sequential' : `GET small ConfigMap, concurrency ${concurrency}`,
      unit: 'req/s',
      higherIsBetter: true,
      raw: of('raw'),
      kgo: of('kgo'),
      clientNode: of('client-node'),
      rawGoal: GOALS.throughputVsRaw,
    });
  }
  if (report.list.length > 0) {
    const of = (client: string) => report.list.find((row) => row.client === client);
    const items = report.fixtures.listItems.toLocaleString('en-US');
    const mib = (report.fixtures.listResponseBytes / 2 ** 20).toFixed(1);
    rows.push({
      scenario: `LIST ${items} ConfigMaps (${mib} MiB), time to parsed items`,
      unit: 'ms',
      higherIsBetter: false,
      raw: of('raw')?.medianMs,
      kgo: of('kgo')?.medianMs,
      clientNode: of('client-node')?.medianMs,
      rawGoal: GOALS.listTimeVsRaw,
    });
    rows.push({
      scenario: `LIST ${items} ConfigMaps, peak RSS of the process`,
      unit: 'MiB',
      higherIsBetter: false,
      raw: of('raw')?.medianMaxRssMiB,
      kgo: of('kgo')?.medianMaxRssMiB,
      clientNode: of('client-node')?.medianMaxRssMiB,
    });
  }
  return rows;
}

/** The report as markdown: the comparison table with ratios and goals, then the details. */
export function formatReport(report: Report): string {
  const lines: string[] = [];
  const { machine } = report;
  lines.push(`## @kgo/rest benchmark, ${report.date.slice(0, 10)}`, '');
  lines.push(
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node} (${machine.platform}); ` +
      `kube-apiserver ${report.kubernetes} (${report.cluster.source}${report.cluster.startupMs !== undefined ? `, started in ${report.cluster.startupMs} ms from ${report.cluster.binaries} binaries` : ''}) on the same machine; ` +
      `1-minute load average ${machine.loadAverage.before.toFixed(1)} before, ${machine.loadAverage.after.toFixed(1)} after.`,
  );
  lines.push(
    `Libraries: ${Object.entries(report.libraries).map(([name, version]) => `${name} ${version}`).join(', ')} ` +
      `(@kgo/rest sources ${report.kgoRestSource.sha256}, newest file ${report.kgoRestSource.newest}).`,
    '',
  );
  if (report.kgoRestSource.changedDuringRun) {
    lines.push('**Warning: @kgo/rest sources changed during this run; the figures mix two versions of the code.**', '');
  }
  lines.push('| Scenario | raw undici | kgo | client-node | kgo / raw | kgo / client-node | Goals |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const row of tableRows(report)) {
    const vsRaw = ratio(row.kgo, row.raw);
    const vsClientNode = ratio(row.kgo, row.clientNode);
    const goals: string[] = [];
    if (row.rawGoal !== undefined && vsRaw !== undefined) {
      const ok = row.higherIsBetter ? vsRaw >= row.rawGoal : vsRaw <= row.rawGoal;
      goals.push(`${row.higherIsBetter ? '≥' : '≤'} ${row.rawGoal.toFixed(1)}× raw ${mark(ok)}`);
    }
    if (vsClientNode !== undefined) {
      const ok = row.higherIsBetter ? vsClientNode > 1 : vsClientNode < 1;
      goals.push(`ahead of client-node ${mark(ok)}`);
    }
    const better = row.higherIsBetter ? 'higher is better' : 'lower is better';
    lines.push(
      `| ${row.scenario} (${row.unit}, ${better}) | ${fmt(row.raw)} | ${fmt(row.kgo)} | ${fmt(row.clientNode)} | ${fmt(vsRaw, 2)}× | ${fmt(vsClientNode, 2)}× | ${goals.join('; ')} |`,
    );
  }
  if (report.get.length > 0) {
    lines.push('', 'Client CPU time per GET (µs; user + system of the client process, all threads):', '');
    lines.push('| GET | raw undici | kgo | client-node | kgo / raw |');
    lines.push('| --- | ---: | ---: | ---: | ---: |');
    for (const concurrency of [...new Set(report.get.map((row) => row.concurrency))]) {
      const of = (client: string) => report.get.find((row) => row.client === client && row.concurrency === concurrency)?.medianCpuUs;
      lines.push(
        `| ${concurrency === 1 ? 'sequential' : `concurrency ${concurrency}`} | ${fmt(of('raw'))} | ${fmt(of('kgo'))} | ${fmt(of('client-node'))} | ${fmt(ratio(of('kgo'), of('raw')), 2)}× |`,
      );
    }
  }
  if (report.list.length > 0) {
    const gzip: Record<string, string> = { raw: 'no', 'raw-gzip': 'yes (one zlib call)', kgo: 'yes (default)', 'kgo-identity': 'no (`disableCompression`)', 'client-node': 'yes (default)' };
    lines.push('', 'Every LIST variant (medians; the server gzips a response over 128 KiB only when asked):', '');
    lines.push('| Client | gzip | time (ms) | client CPU (ms) | peak RSS (MiB) | RSS before the first request (MiB) |');
    lines.push('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const row of report.list) {
      lines.push(`| ${row.client} | ${gzip[row.client] ?? '?'} | ${fmt(row.medianMs)} | ${fmt(row.medianCpuMs)} | ${fmt(row.medianMaxRssMiB)} | ${fmt(row.medianStartRssMiB)} |`);
    }
    const of = (client: string) => report.list.find((row) => row.client === client);
    const pairs: [string, string, string][] = [
      ['without gzip', 'kgo-identity', 'raw'],
      ['with gzip', 'kgo', 'raw-gzip'],
    ];
    lines.push('');
    for (const [label, kgo, raw] of pairs) {
      const k = of(kgo);
      const r = of(raw);
      if (!k || !r) continue;
      lines.push(
        `- Like for like ${label} (${kgo} / ${raw}): time ${fmt(k.medianMs / r.medianMs, 2)}×, client CPU ${fmt(k.medianCpuMs / r.medianCpuMs, 2)}×, peak RSS ${fmt(k.medianMaxRssMiB / r.medianMaxRssMiB, 2)}×.`,
      );
    }
  }
  lines.push('');
  lines.push('Details (every round / every timed list):', '');
  for (const row of report.get) {
    lines.push(
      `- GET c=${row.concurrency} ${row.client}: ${row.rounds.map((rps) => fmt(rps)).join(', ')} req/s; ${row.cpuUsPerRequest.map((us) => fmt(us)).join(', ')} µs CPU per request`,
    );
  }
  for (const row of report.list) {
    lines.push(
      `- LIST ${row.client}: ${row.timesMs.map((ms) => fmt(ms)).join(', ')} ms; client CPU ${row.cpuMs.map((ms) => fmt(ms)).join(', ')} ms; peak RSS ${row.maxRssMiB.map((mib) => fmt(mib)).join(', ')} MiB (${fmt(row.medianStartRssMiB)} MiB before the first request)`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
