// Option parsers shared by commands: each refuses bad values with a message that says what is expected.
import { InvalidArgumentError } from "commander";

export function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return parsed;
  };
}

/** Wraps a parser that throws plain errors so commander reports them as usage errors. */
export function parsedOption<T>(parse: (value: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

/** A mistake in how a command was called (a missing flag for the chosen mode, ...): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
