/**
 * Structured logs: one JSON object per line. Callers pass only what is safe to keep; personal
 * data (emails, names, request bodies) never goes in.
 */
import type { LogLevel } from './config.js';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const RANK = { debug: 10, info: 20, warn: 30, error: 40, silent: Infinity } as const;

/** A logger that writes lines at `level` or above through `write` (main.ts passes stdout). */
export function createJsonLogger(level: LogLevel, write: (line: string) => void, now = () => Date.now()): Logger {
  const at =
    (lineLevel: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields: LogFields = {}) => {
      if (RANK[lineLevel] < RANK[level]) return;
      write(JSON.stringify({ time: new Date(now()).toISOString(), level: lineLevel, event, ...fields }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createJsonLogger('silent', () => {});
