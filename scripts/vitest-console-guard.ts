import { afterEach, beforeEach, vi } from 'vitest';

// Libraries must log through an injected logger; a test that prints to the
// console is hiding an unexpected code path, so it fails.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let printed: string[] = [];

beforeEach(() => {
  printed = [];
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(`console.${method}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  if (printed.length > 0) {
    const lines = printed.join('\n');
    printed = [];
    throw new Error(`unexpected console output:\n${lines}`);
  }
});
