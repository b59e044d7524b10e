/** Retries an assertion until it passes or the time is up; the last failure is rethrown. */
export async function expectEventually(
  assertion: () => Promise<void> | void,
  timeoutMs = 15000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
