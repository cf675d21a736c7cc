/**
 * One JSON report read as a stream: its run fields, and its hosts one at a time, each validated
 * by the report's schema as it arrives. A 10,000-host shard report is never one object graph:
 * the parser (@streamparser/json, keepStack off) drops each host once it is handed over.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { JSONParser } from '@streamparser/json';
import { InputError } from '../core/errors.js';
import type { HostReport } from '../core/report.js';
import { reportSchema, type ReportDocument } from './schema.js';

export type ReportHead = Omit<ReportDocument, 'hosts'>;

const headSchema = reportSchema.omit({ hosts: true });
const hostSchema = reportSchema.shape.hosts.element;
const CHUNK = 1 << 16;

/** Reads `file`, calling `onHost` with each valid host in order; returns the run's fields. Bad input: InputError naming the file. */
export function streamReport(file: string, onHost: (host: HostReport, index: number) => void): ReportHead {
  const head: Record<string, unknown> = {};
  let hosts = 0;
  let sawHosts = false;
  let failure: InputError | undefined;
  const parser = new JSONParser({ paths: ['$.*', '$.hosts.*'], keepStack: false });
  parser.onValue = ({ value, key, stack }) => {
    if (failure) return;
    if (stack.length === 2 && stack[1]?.key === 'hosts') {
      const parsed = hostSchema.safeParse(value);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        failure = new InputError(`${file}: not a vprov report: hosts.${hosts}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`, file);
        return;
      }
      // The host as its shard wrote it (key order, fields of a newer vprov): checked, not rewritten.
      onHost(value as HostReport, hosts++);
    } else if (stack.length === 1 && typeof key === 'string') {
      if (key === 'hosts') sawHosts = true;
      else head[key] = value;
    }
  };
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new InputError(`${file}: cannot read it: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, file);
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      parser.write(buf.subarray(0, n));
      if (failure) throw failure;
    }
    if (!parser.isEnded) parser.end();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${file}: not readable JSON: ${(err as Error).message}`, file);
  } finally {
    closeSync(fd);
  }
  if (failure) throw failure;
  const parsed = headSchema.safeParse(head);
  if (!parsed.success || !sawHosts) {
    const i = parsed.error?.issues[0];
    throw new InputError(`${file}: not a vprov report: ${i ? `${i.path.join('.')}: ${i.message}` : 'hosts: missing'}`, file);
  }
  return parsed.data;
}
