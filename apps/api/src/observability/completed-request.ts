/** What is known of a finished request: the access-log line and the metrics are made of it. */
export interface CompletedRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  /** Route template, or `unmatched`. */
  readonly route: string;
  readonly statusCode: number;
  readonly durationMs: number;
  /** Whether the response was fully written (false: the client went away first). */
  readonly completed: boolean;
}
