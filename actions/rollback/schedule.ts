/**
 * The daily schedule, as the cutover sees it. A daily run that starts while the clusters are being
 * renamed would load into whichever cluster holds the name at that moment (or fail half-way), so
 * the cutover pauses the schedule before the first rename and resumes it only once production is
 * whole again. In Actions, actions/github/workflow-schedule.ts disables and enables the daily-etl
 * workflow through the GitHub API; the CLI alone has no schedule to pause and says so.
 */
export interface DailySchedule {
  /** What is paused, for the report, e.g. "workflow daily-etl.yml of owner/repo". */
  readonly name: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/**
 * Resolves a host name: the names it is an alias of (CNAME chain) and its addresses. The cluster
 * endpoint is a CNAME to the writer instance's endpoint, so after the rename it has moved once it
 * resolves to the restored writer.
 */
export interface Dns {
  resolve(host: string): Promise<string[]>;
}
