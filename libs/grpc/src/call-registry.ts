import type { FieldwiseError } from '@fieldwise/errors';

/** A call in flight, as the drain logic sees it. */
export interface TrackedCall {
  readonly method: string;
  readonly responseStream: boolean;
  /** Health and reflection: never interrupted, only ended. */
  readonly infrastructure: boolean;
  /** Aborts the handler's signal with `error` and ends the call with its status. */
  end(error: FieldwiseError): void;
  /**
   * Aborts the handler's signal with `error` but leaves the call open, so a
   * stream handler can write its final (error) event and return.
   */
  interrupt(error: FieldwiseError): void;
}

/** The calls a server has in flight, so draining can end them. */
export class CallRegistry {
  private readonly calls = new Set<TrackedCall>();
  private isDraining = false;

  /** True once draining began: new calls are refused with UNAVAILABLE. */
  get draining(): boolean {
    return this.isDraining;
  }

  get size(): number {
    return this.calls.size;
  }

  startDraining(): void {
    this.isDraining = true;
  }

  add(call: TrackedCall): void {
    this.calls.add(call);
  }

  delete(call: TrackedCall): void {
    this.calls.delete(call);
  }

  /**
   * Asks every open application server stream to stop (its handler's signal
   * aborts with `error`, the stream stays writable), and ends infrastructure
   * streams (health watches) at once.
   */
  interruptStreams(error: FieldwiseError): void {
    for (const call of [...this.calls]) {
      if (!call.responseStream) continue;
      if (call.infrastructure) call.end(error);
      else call.interrupt(error);
    }
  }

  /** Ends every open server stream, which would otherwise hold the drain until it is forced. */
  endStreams(error: FieldwiseError): void {
    for (const call of [...this.calls]) {
      if (call.responseStream) call.end(error);
    }
  }

  /** Ends every call still open. */
  endAll(error: FieldwiseError): void {
    for (const call of [...this.calls]) call.end(error);
  }
}
