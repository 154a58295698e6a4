/** The API server's build information, from `/version` (apimachinery's `version.Info`). */
export interface VersionInfo {
  major: string;
  minor: string;
  /** e.g. `v1.37.2` */
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
}
