import type { ExecConfig } from './config-types.ts';

/*
 * Values that cannot leave this process as written. A token becomes part of an HTTP header as it
 * is, where CR or LF would end the header and NUL is refused (a password is base64-encoded for
 * basic auth, so it may hold any of them); a plugin's command, arguments
 * and environment cannot carry NUL. Node refuses both, quoting the value in its error; kgo refuses
 * them first, naming the field and never the value.
 */

/** What makes `value` unusable in a header (`'a line break (CR or LF)'`, `'a NUL byte'`), or undefined when it is usable. */
export function headerUnsafe(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'a line break (CR or LF)';
  if (value.includes('\0')) return 'a NUL byte';
  return undefined;
}

/** One exec field holding a NUL byte: its path under the user (`exec.env[0].value`) and what to say, without the value. */
export interface ExecNulProblem {
  field: string;
  message: string;
}

/** The fields of `exec` that hold a NUL byte, which no child process can receive. */
export function execNulProblems(exec: ExecConfig): ExecNulProblem[] {
  const problems: ExecNulProblem[] = [];
  if (exec.command?.includes('\0')) problems.push({ field: 'exec.command', message: 'exec.command contains a NUL byte' });
  exec.args?.forEach((arg, i) => {
    if (arg.includes('\0')) problems.push({ field: `exec.args[${i}]`, message: `exec.args[${i}] contains a NUL byte (the argument is not shown)` });
  });
  exec.env?.forEach((variable, i) => {
    if (variable.name.includes('\0')) problems.push({ field: `exec.env[${i}].name`, message: `exec.env[${i}].name contains a NUL byte` });
    if (variable.value.includes('\0')) {
      const name = JSON.stringify(variable.name);
      problems.push({ field: `exec.env[${i}].value`, message: `the value of exec env variable ${name} contains a NUL byte (the value is not shown)` });
    }
  });
  return problems;
}
