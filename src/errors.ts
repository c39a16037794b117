// Errors that any layer may throw and the entry points turn into a verdict: a leaf, it imports nothing.

/** An input the step cannot use: names the input and shows a valid example (the `invalid-input` verdict). */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly example: string
  ) {
    super(`Input '${input}' ${problem}. Example: ${input}: ${example}`)
  }
}
