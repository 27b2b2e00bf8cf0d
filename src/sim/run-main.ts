// How the simulators' command lines end: main's number is the exit code; a
// throw it did not expect is printed with its stack and exits 1.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
