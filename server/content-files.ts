/**
 * What the content loaders share (campaigns, server messages): JSON files checked with a schema,
 * with the file's path in every error, and files named by their language.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';

/** A language file's name without `.json`: `bg`, `pt-br`. */
export const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

/** Reads `path` and checks it with `schema`; throws naming `label` (the path a person knows). */
export function readJsonFile<T>(path: string, schema: z.ZodType<T>, label: string): T {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${label}: not readable JSON (${(error as Error).message}).`, { cause: error });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new Error(`${label}: ${problems.join('; ')}.`);
  }
  return result.data;
}

/** `bg` for `bg`, `BG` or `bg-BG` when `bg` is available; undefined when nothing fits. */
export function nearestLanguage(requested: string | undefined, available: readonly string[]): string | undefined {
  const wanted = requested?.trim().toLowerCase();
  if (!wanted) return undefined;
  return available.find((lang) => lang === wanted) ?? available.find((lang) => lang === wanted.split('-')[0]);
}

/** The nearest language for the first of `requested`, in order, that one of `available` fits; undefined when none does. */
export function nearestOfAny(requested: ReadonlyArray<string | undefined>, available: readonly string[]): string | undefined {
  return requested.map((wanted) => nearestLanguage(wanted, available)).find(Boolean);
}
