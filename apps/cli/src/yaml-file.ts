import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { CliError, EXIT } from './cli-error';

/** A YAML (or JSON) file the user named; unreadable or malformed files are usage errors naming the file. */
export async function readYamlFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  try {
    return parseYaml(text) ?? {};
  } catch (err) {
    throw new CliError(`${file} is not valid YAML: ${(err as Error).message}`, EXIT.usage);
  }
}
