/**
 * Command-line values checked while parsing, before any host is touched: a bad one is exit 1
 * with the option's name and what it accepts (yargs alone turns "abc" into NaN and runs on).
 */
import { InputError } from '../core/errors.js';

/** yargs `coerce` for a whole number in [min, max]. */
export function wholeNumber(flag: string, min: number, max: number) {
  return (value: unknown): number => {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      const got = typeof value === 'number' && Number.isNaN(value) ? 'not a number' : JSON.stringify(value);
      throw new InputError(`--${flag}: expected a whole number from ${min} to ${max}, got ${got}`);
    }
    return n;
  };
}

/** yargs `coerce` for seconds: a positive number up to `max`. */
export function seconds(flag: string, max: number) {
  return (value: unknown): number => {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max) {
      const got = typeof value === 'number' && Number.isNaN(value) ? 'not a number' : JSON.stringify(value);
      throw new InputError(`--${flag}: expected seconds, more than 0 and at most ${max}, got ${got}`);
    }
    return n;
  };
}
