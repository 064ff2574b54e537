/**
 * Keeps a long-running command (serve, replay, shop serve, serve-policy) alive until SIGINT or
 * SIGTERM. With `drain`, the first signal drains (finish what is under way, refuse new work) and a
 * second one closes at once; without it, the first signal closes.
 *
 * The handlers are installed when this is called: call it before announcing the server, so a
 * supervisor that signals as soon as it reads the announcement never kills the process outright.
 */
export function serveUntilSignal(server: { close(): Promise<void>; drain?(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => {
    let signals = 0;
    const stop = () => {
      signals += 1;
      if (signals === 1 && server.drain) {
        void server.drain().then(done);
        return;
      }
      void server.close().then(done);
    };
    const done = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
