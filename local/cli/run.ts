/**
 * The one way a CLI in `local/` ends: its exit code, or a one-line reason on stderr (never a stack
 * trace with comment text in it). `exit: 'always'` ends the process at once, for commands that leave
 * servers or timers behind on purpose (the demo); `exit: 'failure'` does so only when `main` fails
 * (`npm start`, whose servers must keep running after a successful start).
 */
const runCli = (
  name: string,
  main: () => Promise<unknown>,
  options: { readonly exit?: 'always' | 'failure'; readonly failureCode?: number } = {},
): void => {
  const finish = (code: number, failed: boolean): void => {
    if (options.exit === 'always' || (failed && options.exit === 'failure')) process.exit(code);
    process.exitCode = code;
  };
  main().then(
    (code) => {
      if (typeof code === 'number') finish(code, false);
      else if (options.exit === 'always') finish(0, false);
    },
    (error: unknown) => {
      process.stderr.write(
        `${name} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      finish(options.failureCode ?? 1, true);
    },
  );
};

export { runCli };
