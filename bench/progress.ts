/** Progress lines go to stderr so that `--json` leaves stdout to the one JSON object. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
