import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import './formats';

// Two ways to check a value against a TypeBox schema, one interface.
//
// TypeCompiler turns a schema into JavaScript and runs it with `new Function`:
// the fastest check there is, for servers, which validate every message on
// the bus. A page served with `script-src 'self'` (no 'unsafe-eval') may not
// generate code, so the browser interprets the schema instead (Value.Check).
// Neither does any work when this module is imported: a compiled validator
// compiles on its first use, so a page can import every contract safely.

/** A value parsed and validated, or why not. */
export type Decoded<M> = { ok: true; message: M } | { ok: false; error: string };

export interface Validator<T> {
  /** Whether the value matches the schema (TypeBox's own name for it). */
  Check(value: unknown): value is T;
  /** At most `max` ways the value breaks the schema, each as "<path> <message>" (the path "/" for the value itself). */
  problems(value: unknown, max?: number): string[];
}

const describe = (errors: Iterable<{ path: string; message: string }>, max: number): string[] => {
  const found: string[] = [];
  for (const error of errors) {
    if (found.length >= max) break;
    found.push(`${error.path || '/'} ${error.message}`);
  }
  return found;
};

/**
 * For servers: compiled to JavaScript on its first use (TypeCompiler, which
 * generates code with `new Function`), then as fast as a hand-written check.
 * Never compiles at import. Not for a page under a strict Content-Security-Policy.
 */
export function compiledValidator<S extends TSchema>(schema: S): Validator<Static<S>> {
  let compiled: TypeCheck<S> | null = null;
  const check = () => (compiled ??= TypeCompiler.Compile(schema));
  return {
    Check: (value): value is Static<S> => check().Check(value),
    problems: (value, max = 3) => describe(check().Errors(value), max),
  };
}

/**
 * For the browser: the schema interpreted (Value.Check), no code generated, so
 * it runs under `script-src 'self'`. Slower than a compiled check; a page checks
 * a few messages a second.
 */
export function interpretedValidator<S extends TSchema>(schema: S): Validator<Static<S>> {
  return {
    Check: (value): value is Static<S> => Value.Check(schema, value),
    problems: (value, max = 3) => describe(Value.Errors(schema, value), max),
  };
}

/**
 * Parses JSON text and checks it: the message, or a readable error naming
 * `what` it should have been and its first problems. Never throws.
 */
export function decodeJson<T>(validator: Validator<T>, text: string, what: string): Decoded<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: `${what} is not JSON` };
  }
  if (validator.Check(value)) return { ok: true, message: value };
  return { ok: false, error: `invalid ${what}: ${validator.problems(value).join('; ')}` };
}
