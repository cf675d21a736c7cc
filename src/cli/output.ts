/** Where the CLI writes: stdout for results, stderr for warnings and progress. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

export const processOutput: Output = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
};
