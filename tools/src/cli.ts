/** Exit status of a tool whose input is wrong (bad arguments, a file that does not parse). */
export const EXIT_BAD_INPUT = 2;

/** An error that names what is wrong in its message: a coded one, or a Node system error (ENOENT). */
const isCoded = (error: unknown): error is Error & { code: string } =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

/**
 * Runs a tool's main: its result is the exit status (0 fine, 1 the check found problems).
 * An error thrown is printed after the tool's name (a coded one as its message, any other
 * with its stack) and exits with EXIT_BAD_INPUT.
 */
export async function runTool(name: string, main: () => number | Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    const text = isCoded(error)
      ? error.message
      : error instanceof Error
        ? error.stack
        : String(error);
    process.stderr.write(`${name}: ${text}\n`);
    process.exitCode = EXIT_BAD_INPUT;
  }
}
