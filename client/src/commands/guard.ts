/**
 * One change per compute pool at a time in this window: a second Deploy, Suspend, Resume or Delete of the
 * same pool (a double click, the palette and the menu) is refused while the first is still running,
 * instead of reaching CMF twice. Across windows nothing can lock; the lifecycle's re-read before a PUT
 * (`expectedLive`) is the guard there.
 */
export class OperationGuard {
  private readonly busy = new Map<string, string>();

  static key(connection: string, environment: string, pool: string): string {
    return JSON.stringify([connection, environment, pool]);
  }

  /** What is running for `key`, if anything (e.g. "Deploy"). */
  running(key: string): string | undefined {
    return this.busy.get(key);
  }

  /**
   * Runs `task` unless another operation holds `key`; then resolves to `{ busy: <what runs> }` without
   * calling it.
   */
  async run<T>(key: string, what: string, task: () => Promise<T>): Promise<{ busy: string } | { value: T }> {
    const other = this.busy.get(key);
    if (other !== undefined) return { busy: other };
    this.busy.set(key, what);
    try {
      return { value: await task() };
    } finally {
      this.busy.delete(key);
    }
  }
}
