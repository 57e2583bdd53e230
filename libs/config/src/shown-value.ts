// Names that hold credentials: their values never reach a log line, even when they are wrong.
const SECRET_NAME = /SECRET|PASSWORD|KEY/i;
// The password part of a URL's user info (postgres://user:password@host), masked whatever the variable is called.
const URL_PASSWORD = /(\/\/[^/?#@:]*:)[^/?#@]*@/;

/** How a variable's value appears in an error message: quoted, with anything secret masked. */
export function shownValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'not set';
  if (SECRET_NAME.test(variable)) return '<masked>';
  return JSON.stringify(value.replace(URL_PASSWORD, '$1***@'));
}
