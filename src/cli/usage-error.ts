// The error a command throws for bad arguments, in a module of its own so that the commands and
// main.ts (which catches it) import it from here, not from each other.

/** Thrown by a command for bad arguments: main prints the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
