/** Splits `--nodes N` / `--nodes=N` (and, for build, a bare `--nodes`) off the arguments before `--`. */
export function parseNodes(args: string[], bare: boolean): { nodes: number; rest: string[] } {
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  const rest = end < 0 ? [] : args.slice(end);
  let nodes = 0;
  const others: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const arg = options[i] as string;
    if (arg === '--nodes' || arg.startsWith('--nodes=')) {
      const value = arg.includes('=') ? arg.slice('--nodes='.length) : bare && !/^\d+$/.test(options[i + 1] ?? '') ? '1' : options[++i];
      if (value === undefined || !/^\d+$/.test(value)) throw new Error(`--nodes needs a whole number of nodes (e.g. --nodes 2), got ${value ?? 'nothing'}`);
      nodes = Number(value);
    } else {
      others.push(arg);
    }
  }
  return { nodes, rest: [...others, ...rest] };
}
