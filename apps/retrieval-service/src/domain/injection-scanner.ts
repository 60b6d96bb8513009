import type { InjectionVerdict } from './model.js';

/**
 * Port to the prompt-injection detector (bound to libs/guardrails by the
 * service wiring). Ingestion scans every chunk, hidden text included, and
 * stores the verdict on the chunk; a flagged chunk is still searchable but
 * carries the flag so no caller passes it to a model as instructions.
 */
export interface InjectionScanner {
  scan(text: string): InjectionVerdict | Promise<InjectionVerdict>;
}
