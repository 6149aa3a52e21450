/** Turns an action's inputs into the CLI options of its command: empty inputs are left out. */
export function optionArgs(options: Record<string, string | boolean | undefined>): string[] {
  const args: string[] = [];
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === false || value === '') continue;
    args.push(...(value === true ? [`--${name}`] : [`--${name}`, value]));
  }
  return args;
}
