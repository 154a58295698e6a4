/**
 * Raised when envtest cannot find, build or start the control plane. The message always says
 * what to do next (which tool to install, which variable to set, which log to read).
 */
export class EnvtestError extends Error {
  override name = 'EnvtestError';
}
