export interface DrainResult {
  readonly readyBefore?: number;
  readonly readyDraining?: number;
  readonly fast: {
    readonly sent: number;
    readonly ok: number;
    readonly afterSigterm: number;
    readonly closedAfterSigterm: number;
    readonly failures: ReadonlyArray<string | number | undefined>;
  };
  readonly slow: ReadonlyArray<string>;
  readonly exit: { readonly code: number | null; readonly signal: string | null };
  readonly exitMs: number;
  readonly output: string;
}
export declare function drainUnderLoad(options: {
  main: string;
  delayMs: number;
  clients?: number;
  slow?: number;
}): Promise<DrainResult>;
